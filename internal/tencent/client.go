// Package tencent collects Tencent Cloud DTS jobs through the official SDK
// (API 2021-12-06) and translates them into the neutral dts model.
package tencent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"
	"golang.org/x/time/rate"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// ProviderName is the value of the `provider` label for this package's jobs.
const ProviderName = "tencent"

// pageLimit is the largest page DescribeSyncJobs allows (Limit ∈ [1,100]).
const pageLimit = 100

// maxPages bounds one listing (100,000 jobs), so that an API that keeps
// answering full pages cannot hold a scrape forever.
const maxPages = 1000

// Documented default per-action rate limits (requests per second); actions
// not listed get the most conservative documented limit.
var actionRates = map[string]rate.Limit{
	"DescribeSyncJobs": 100,
}

const defaultActionRate rate.Limit = 20

// Limits holds the client-side rate limiters of one account, shared by all of
// its regions: the vendor does not say whether its limits are per region.
type Limits struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// NewLimits returns the limiters for one account.
func NewLimits() *Limits { return &Limits{limiters: map[string]*rate.Limiter{}} }

func (l *Limits) wait(ctx context.Context, action string) error {
	l.mu.Lock()
	lim, ok := l.limiters[action]
	if !ok {
		r, known := actionRates[action]
		if !known {
			r = defaultActionRate
		}
		lim = rate.NewLimiter(r, int(r))
		l.limiters[action] = lim
	}
	l.mu.Unlock()
	return lim.Wait(ctx)
}

// Options configure a Source.
type Options struct {
	Account  config.Account
	Region   string
	Limits   *Limits
	Observer dts.CallObserver
	Logger   *slog.Logger
	// Retries is how often a throttled call is retried within the deadline.
	Retries int
}

// Source collects one (account, region) of Tencent Cloud DTS.
type Source struct {
	account  config.Account
	region   string
	limits   *Limits
	observe  dts.CallObserver
	logger   *slog.Logger
	retries  int
	prof     *profile.ClientProfile
	newCreds func() (common.CredentialIface, error)

	mu     sync.Mutex
	client *dtsapi.Client
}

var _ dts.Source = (*Source)(nil)

// New returns a Source for one region of an account. It makes no call: the
// credential chain and the API are first used on the first scrape.
func New(opts Options) (*Source, error) {
	prof := profile.NewClientProfile()
	// The SDK's own throttling retry sleeps without looking at the context,
	// and only knows one of the two throttling codes DTS returns; we retry
	// ourselves, within the scrape deadline.
	prof.RateLimitExceededMaxRetries = 0
	prof.HttpProfile.ReqTimeout = 60
	if ep := opts.Account.Endpoint; ep != "" {
		u, err := url.Parse(ep)
		if err != nil {
			return nil, fmt.Errorf("endpoint: %w", err)
		}
		prof.HttpProfile.Scheme = strings.ToUpper(u.Scheme)
		prof.HttpProfile.Endpoint = u.Host + strings.TrimSuffix(u.Path, "/")
	}
	s := &Source{
		account: opts.Account,
		region:  opts.Region,
		limits:  opts.Limits,
		observe: opts.Observer,
		logger:  opts.Logger,
		retries: opts.Retries,
		prof:    prof,
	}
	if s.limits == nil {
		s.limits = NewLimits()
	}
	if s.observe == nil {
		s.observe = func(string, time.Duration, error) {}
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if creds := opts.Account.Credentials; creds.Static() {
		s.newCreds = func() (common.CredentialIface, error) {
			return common.NewCredential(creds.SecretID, creds.Key().Reveal()), nil
		}
	} else {
		s.newCreds = func() (common.CredentialIface, error) {
			return common.DefaultProviderChain().GetCredential()
		}
	}
	return s, nil
}

// sdk returns the SDK client, resolving credentials on first use. The chain
// may ask the CVM metadata service with a plain http.Get that has no timeout,
// so it runs aside and the scrape deadline bounds the wait.
func (s *Source) sdk(ctx context.Context) (*dtsapi.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		return s.client, nil
	}
	type result struct {
		cred common.CredentialIface
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		cred, err := s.newCreds()
		ch <- result{cred, err}
	}()
	select {
	case <-ctx.Done():
		return nil, s.convert("GetCredential", ctx.Err())
	case r := <-ch:
		if r.err != nil {
			return nil, s.convert("GetCredential", r.err)
		}
		client, err := dtsapi.NewClient(r.cred, s.region, s.prof)
		if err != nil {
			return nil, s.convert("NewClient", err)
		}
		s.client = client
		return client, nil
	}
}

// call runs one API action with the account's rate limit, retrying throttled
// answers with jittered backoff while the deadline allows.
func (s *Source) call(ctx context.Context, action string, fn func(context.Context, *dtsapi.Client) error) error {
	client, err := s.sdk(ctx)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		if err := s.limits.wait(ctx, action); err != nil {
			return s.convert(action, err)
		}
		start := time.Now()
		err := fn(ctx, client)
		if err != nil && ctx.Err() != nil {
			// The SDK flattens a context error into ClientError.NetworkError
			// and drops the wrapped error; the context tells the truth.
			err = ctx.Err()
		}
		err = s.convert(action, err)
		s.observe(action, time.Since(start), err)
		if err == nil || dts.ClassOf(err) != dts.ClassThrottled || attempt >= s.retries {
			return err
		}
		backoff := time.Duration(200*(1<<attempt))*time.Millisecond + rand.N(100*time.Millisecond)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < backoff {
			return err
		}
		s.logger.Debug("api call throttled, retrying", "action", action, "attempt", attempt+1, "backoff", backoff)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
	}
}

// convert turns an SDK error into a *dts.APIError whose message carries no
// response body.
func (s *Source) convert(action string, err error) error {
	if err == nil {
		return nil
	}
	e := &dts.APIError{Provider: ProviderName, Action: action}
	var sdkErr *tcerr.TencentCloudSDKError
	switch {
	case errors.As(err, &sdkErr):
		e.Code, e.RequestID = sdkErr.Code, sdkErr.RequestId
		e.Message = sanitizeMessage(sdkErr.Code, sdkErr.Message)
		e.Class = classify(sdkErr.Code)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		e.Code, e.Class, e.Message = "ClientError.Timeout", dts.ClassTimeout, "scrape deadline reached"
	default:
		e.Code, e.Class = "ClientError.NetworkError", dts.ClassOther
		e.Message = truncate(err.Error())
	}
	return e
}

// classify groups a Tencent Cloud API error code by its prefix.
func classify(code string) dts.ErrorClass {
	switch {
	case strings.HasPrefix(code, "RequestLimitExceeded"):
		return dts.ClassThrottled
	case strings.HasPrefix(code, "AuthFailure"), strings.HasPrefix(code, "UnauthorizedOperation"),
		code == "ClientError.CredentialError":
		return dts.ClassAuth
	case strings.HasPrefix(code, "ResourceNotFound"), code == "InvalidParameter.InstanceNotFound":
		return dts.ClassNotFound
	case code == "ClientError.ParseJsonError":
		return dts.ClassMalformed
	default:
		return dts.ClassOther
	}
}

// sanitizeMessage drops response bodies that the SDK quotes in its client
// errors: a body can hold Password, TmpSecretKey and TmpToken values.
func sanitizeMessage(code, msg string) string {
	switch code {
	case "ClientError.ParseJsonError":
		// "Fail to parse json content: <body>, because: <json error>"
		if i := strings.LastIndex(msg, ", because: "); i >= 0 {
			return truncate("invalid response: " + msg[i+len(", because: "):])
		}
		return "invalid response"
	case "ClientError.HttpStatusCodeError":
		// "Request fail with http status code: <status>, with body: <body>"
		if i := strings.Index(msg, ", with body:"); i >= 0 {
			return truncate(msg[:i])
		}
		return "unexpected HTTP status"
	case "ClientError.IOError":
		return "reading the response failed"
	}
	return truncate(msg)
}

func truncate(s string) string {
	const maxLen = 300
	if len(s) > maxLen {
		return s[:maxLen] + "…"
	}
	return s
}

// familyActions lists the API actions each family calls.
var familyActions = map[string][]string{
	"sync_jobs": {"DescribeSyncJobs"},
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
		switch family {
		case "sync_jobs":
			res.Kind = dts.KindSync
			jobs, err := s.syncJobs(ctx)
			snap.Jobs = append(snap.Jobs, jobs...)
			res.Err = err
		default:
			res.Err = fmt.Errorf("API family %q is not implemented for tencent", family)
		}
		res.Duration = time.Since(start)
		snap.Families = append(snap.Families, res)
	}
	return snap
}

// syncJobs pages through DescribeSyncJobs at the API maximum. Pages are asked
// oldest first, so a job created while paging lands on the last page instead
// of pushing a job already seen onto the next one; ids are deduplicated anyway.
func (s *Source) syncJobs(ctx context.Context) ([]dts.Job, error) {
	var (
		jobs      []dts.Job
		seen      = map[string]bool{}
		total     uint64
		haveTotal bool
	)
	for offset, page := uint64(0), 1; ; page++ {
		req := dtsapi.NewDescribeSyncJobsRequest()
		req.Limit = common.Uint64Ptr(pageLimit)
		req.Offset = common.Uint64Ptr(offset)
		req.Order = common.StringPtr("CreateTime")
		req.OrderSeq = common.StringPtr("ASC")
		var resp *dtsapi.DescribeSyncJobsResponse
		err := s.call(ctx, "DescribeSyncJobs", func(ctx context.Context, c *dtsapi.Client) error {
			var err error
			resp, err = c.DescribeSyncJobsWithContext(ctx, req)
			return err
		})
		if err != nil {
			return nil, err
		}
		if resp == nil || resp.Response == nil {
			return nil, &dts.APIError{Provider: ProviderName, Action: "DescribeSyncJobs", Code: "ClientError.EmptyResponse", Class: dts.ClassMalformed, Message: "response has no body"}
		}
		r := resp.Response
		if r.TotalCount != nil {
			total, haveTotal = *r.TotalCount, true
		}
		for _, info := range r.JobList {
			job, ok := s.syncJob(info)
			if !ok || seen[job.ID] {
				continue
			}
			seen[job.ID] = true
			jobs = append(jobs, job)
		}
		offset += uint64(len(r.JobList))
		// Stop on a short page, on the reported total (it may be null), and
		// after a bounded number of pages whatever the API says.
		switch {
		case len(r.JobList) < pageLimit, haveTotal && offset >= total:
			return jobs, nil
		case page >= maxPages:
			s.logger.Warn("stopped paging: too many pages", "action", "DescribeSyncJobs", "pages", page, "jobs", len(jobs))
			return jobs, nil
		}
	}
}
