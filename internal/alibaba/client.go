// Package alibaba collects Alibaba Cloud DTS jobs (API 2020-01-01) through
// Alibaba's official generic OpenAPI client, darabonba-openapi, with our own
// response structs, and translates them into the neutral dts model.
package alibaba

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"

	"github.com/dts-exporter/dts_exporter/internal/apicall"
	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// ProviderName is the value of the `provider` label for this package's jobs.
const ProviderName = "alibaba"

// apiVersion is the DTS OpenAPI version the exporter speaks.
const apiVersion = "2020-01-01"

// maxPages bounds one listing, so that an API that keeps answering full
// pages cannot hold a scrape forever.
const maxPages = 1000

// statusWorkers bounds the concurrent per-job status calls of one target;
// the rate limit bounds their rate.
const statusWorkers = 4

// regionalEndpoints are the regions whose DTS endpoint the documentation
// lists as dts.<region>.aliyuncs.com; the others use dts.aliyuncs.com, and
// the RegionId parameter selects the region.
var regionalEndpoints = []string{
	"cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote",
	"cn-shenzhen", "cn-hongkong", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-5", "us-east-1", "us-west-1", "eu-west-1", "eu-central-1", "ap-south-1", "me-east-1",
	"cn-shanghai-finance-1", "cn-shenzhen-finance-1",
}

// Options configure a Source.
type Options = apicall.Options

// Source collects one (account, region) of Alibaba Cloud DTS.
type Source struct {
	account config.Account
	region  string
	caller  *apicall.Caller
	logger  *slog.Logger
	// clients are idle SDK clients: an openapi.Client is not safe for
	// concurrent calls (each RPC call resets its Headers field), so each
	// call takes one of its own. They share the credential and HTTP client.
	clients chan *openapi.Client
	cfg     *openapiutil.Config
}

var _ dts.Source = (*Source)(nil)

// New returns a Source for one region of an account. It makes no call: the
// credential chain is first asked on the first scrape.
func New(opts Options) (*Source, error) {
	cfg := &openapiutil.Config{
		Protocol:       dara.String("https"),
		Endpoint:       dara.String(endpointOf(opts.Region)),
		RegionId:       dara.String(opts.Region),
		ReadTimeout:    dara.Int(60_000), // the scrape deadline is the real bound
		ConnectTimeout: dara.Int(5_000),
		// Our own HTTP client: the SDK's default one is shared by every
		// client of a host and rewrites its Timeout on each request while
		// other requests read it (a data race under concurrent calls).
		HttpClient: &httpClient{c: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}},
	}
	if ep := opts.Account.Endpoint; ep != "" {
		u, err := url.Parse(ep)
		if err != nil {
			return nil, fmt.Errorf("endpoint: %w", err)
		}
		cfg.Protocol, cfg.Endpoint = dara.String(u.Scheme), dara.String(u.Host)
	}
	var err error
	if creds := opts.Account.Credentials; creds.Static() {
		cfg.Credential, err = credentials.NewCredential(new(credentials.Config).
			SetType("access_key").SetAccessKeyId(creds.ID()).SetAccessKeySecret(creds.Key().Reveal()))
	} else {
		// The standard chain: ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, OIDC,
		// the CLI profile and ~/.alibabacloud/credentials, the ECS RAM role.
		cfg.Credential, err = credentials.NewCredential(nil)
	}
	if err != nil {
		// The credentials package names the field at fault, never its value.
		return nil, fmt.Errorf("credentials: %w", err)
	}
	s := &Source{account: opts.Account, region: opts.Region, logger: opts.Logger, cfg: cfg,
		clients: make(chan *openapi.Client, statusWorkers)}
	client, err := s.newClient()
	if err != nil {
		return nil, err
	}
	s.clients <- client
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.caller = &apicall.Caller{
		Limits:  opts.Limits,
		Observe: opts.Observer,
		Logger:  s.logger,
		Retries: opts.Retries,
		Convert: convert,
	}
	if s.caller.Limits == nil {
		s.caller.Limits = apicall.NewLimits(config.Providers[ProviderName].RateLimits, opts.Account.RateLimits)
	}
	return s, nil
}

// httpClient implements dara.HttpClient with a client of our own; requests
// carry the scrape's context, which bounds them.
type httpClient struct{ c *http.Client }

func (h *httpClient) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return h.c.Do(req)
}

func (s *Source) newClient() (*openapi.Client, error) {
	client, err := openapi.NewClient(s.cfg)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	// Keep the client's own error types (ClientError, ThrottlingError...)
	// instead of a generic SDKError that carries the whole error body.
	client.DisableSDKError = dara.Bool(true)
	return client, nil
}

// withClient runs fn with an idle client, or a new one when all are busy.
func (s *Source) withClient(fn func(*openapi.Client) error) error {
	var client *openapi.Client
	select {
	case client = <-s.clients:
	default:
		var err error
		if client, err = s.newClient(); err != nil {
			return err
		}
	}
	defer func() {
		select {
		case s.clients <- client:
		default:
		}
	}()
	return fn(client)
}

func endpointOf(region string) string {
	if slices.Contains(regionalEndpoints, region) {
		return "dts." + region + ".aliyuncs.com"
	}
	return "dts.aliyuncs.com"
}

// familyActions lists the API actions each family calls.
var familyActions = map[string][]string{
	"synchronization": {"DescribeSynchronizationJobs", "DescribeSynchronizationJobStatus"},
	"dts_jobs":        {"DescribeDtsJobs"},
}

// Actions returns the API actions the given families call, so that their
// error counters can start at zero.
func Actions(families []string) []string {
	var actions []string
	for _, f := range families {
		actions = append(actions, familyActions[f]...)
	}
	return actions
}

// Collect implements dts.Source: it runs the account's API families in turn.
func (s *Source) Collect(ctx context.Context) dts.Snapshot {
	var snap dts.Snapshot
	for _, family := range s.account.Collect {
		start := time.Now()
		res := dts.FamilyResult{Name: family}
		var (
			jobs   []dts.Job
			checks []dts.Check
		)
		switch family {
		case "synchronization":
			res.Kinds = []dts.Kind{dts.KindSync}
			jobs, checks, res.Err = s.synchronization(ctx)
		case "dts_jobs":
			res.Kinds = []dts.Kind{dts.KindSync, dts.KindMigration}
			jobs, checks, res.Err = s.dtsJobs(ctx)
		default:
			res.Err = fmt.Errorf("unknown API family %q", family)
		}
		snap.Jobs = append(snap.Jobs, jobs...)
		snap.Checks = append(snap.Checks, checks...)
		res.Duration = time.Since(start)
		snap.Families = append(snap.Families, res)
	}
	return snap
}

// rpc calls an RPC-style action with the query parameters and decodes the
// body into out, an answer that embeds envelope. A body saying Success false
// is an error, whatever the HTTP status.
func (s *Source) rpc(ctx context.Context, action string, query map[string]string, out interface{ env() *envelope }) error {
	q := map[string]*string{"RegionId": dara.String(s.region)}
	for k, v := range query {
		q[k] = dara.String(v)
	}
	params := &openapiutil.Params{
		Action:      dara.String(action),
		Version:     dara.String(apiVersion),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		// The raw body: our structs decode it, numbers-as-strings and all.
		BodyType: dara.String("string"),
	}
	return s.caller.Do(ctx, action, func(ctx context.Context) error {
		var resp map[string]any
		err := s.withClient(func(c *openapi.Client) error {
			var err error
			resp, err = c.CallApiWithCtx(ctx, params, &openapiutil.OpenApiRequest{Query: q}, &dara.RuntimeOptions{})
			return err
		})
		if err != nil {
			return err
		}
		body, _ := resp["body"].(string)
		if strings.TrimSpace(body) == "" {
			return &dts.APIError{Provider: ProviderName, Action: action, Code: "EmptyResponse", Class: dts.ClassMalformed, Message: "response has no body"}
		}
		if err := json.Unmarshal([]byte(body), out); err != nil {
			// encoding/json's messages name types and offsets, not content.
			return &dts.APIError{Provider: ProviderName, Action: action, Code: "MalformedResponse", Class: dts.ClassMalformed,
				Message: "invalid response: " + dts.Truncate(err.Error())}
		}
		return envelopeError(action, out.env())
	})
}

func (e *envelope) env() *envelope { return e }

// envelopeError is the error a body reports with HTTP 200, or nil.
func envelopeError(action string, e *envelope) error {
	code := e.ErrCode.String()
	if code == "" {
		code = e.Code.String()
	}
	if !e.Success.isFalse() && (e.Success.isTrue() || code == "") {
		return nil
	}
	if code == "" {
		code = "UnknownError"
	}
	msg := e.ErrMessage.String()
	if msg == "" {
		msg = e.Message.String()
	}
	if dyn := e.DynamicMessage.String(); dyn != "" && strings.Contains(msg, "%s") {
		msg = strings.Replace(msg, "%s", dyn, 1)
	}
	return &dts.APIError{Provider: ProviderName, Action: action, Code: code, Class: classify(code),
		RequestID: e.RequestId.String(), Message: dts.Truncate(msg)}
}

// sdkError is what the client's ClientError, ServerError and ThrottlingError
// have in common.
type sdkError interface {
	error
	GetCode() *string
	GetMessage() *string
	GetRequestId() *string
	GetStatusCode() *int
}

// convert turns a client error into a *dts.APIError whose message carries no
// response body.
func convert(action string, err error) error {
	if err == nil {
		return nil
	}
	var apiErr *dts.APIError
	if errors.As(err, &apiErr) {
		if apiErr.Action == "" {
			apiErr.Action = action
		}
		return apiErr
	}
	e := &dts.APIError{Provider: ProviderName, Action: action}
	var se sdkError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		e.Code, e.Class, e.Message = "Timeout", dts.ClassTimeout, "scrape deadline reached"
	case errors.As(err, &se):
		e.Code, e.RequestID = dara.StringValue(se.GetCode()), dara.StringValue(se.GetRequestId())
		if e.Code == "" {
			e.Code = fmt.Sprintf("HTTP%d", dara.IntValue(se.GetStatusCode()))
		}
		e.Class = classify(e.Code)
		// "code: 400, <message> request id: <id>": the server's message.
		e.Message = dts.Truncate(dara.StringValue(se.GetMessage()))
	default:
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			e.Code, e.Class, e.Message = "MalformedResponse", dts.ClassMalformed, "invalid error response: "+syntax.Error()
			break
		}
		// Network errors and the credential chain's errors.
		e.Code, e.Class, e.Message = "ClientError", dts.ClassOther, dts.Truncate(err.Error())
		if strings.Contains(strings.ToLower(e.Message), "credential") {
			e.Code, e.Class = "InvalidCredentials", dts.ClassAuth
		}
	}
	return e
}

// classify groups an Alibaba Cloud error code.
func classify(code string) dts.ErrorClass {
	switch {
	case strings.Contains(code, "Throttling"):
		return dts.ClassThrottled
	case strings.HasPrefix(code, "InvalidAccessKeyId"), strings.HasPrefix(code, "SignatureDoesNotMatch"),
		strings.HasPrefix(code, "IncompleteSignature"), strings.HasPrefix(code, "Forbidden"),
		strings.HasPrefix(code, "InvalidSecurityToken"), strings.HasPrefix(code, "NoPermission"),
		code == "InvalidCredentials":
		return dts.ClassAuth
	case strings.Contains(code, "NotFound"), strings.Contains(code, "NotExist"):
		return dts.ClassNotFound
	case code == "MalformedResponse", code == "EmptyResponse":
		return dts.ClassMalformed
	default:
		return dts.ClassOther
	}
}

// forEach runs fn for every index below n on a few workers and returns the
// first error; the other indexes still run, until ctx ends.
func forEach(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	var (
		mu       sync.Mutex
		firstErr error
		next     int
		wg       sync.WaitGroup
	)
	for range min(statusWorkers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				if err := fn(ctx, i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil && next < n {
		return ctx.Err() // some never ran
	}
	return firstErr
}
