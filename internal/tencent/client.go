// Package tencent collects Tencent Cloud DTS jobs through the official SDK
// (API 2021-12-06) and translates them into the neutral dts model.
package tencent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"

	"github.com/dts-exporter/dts_exporter/internal/apicall"
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

// Options configure a Source.
type Options = apicall.Options

// Source collects one (account, region) of Tencent Cloud DTS.
type Source struct {
	account  config.Account
	region   string
	caller   *apicall.Caller
	logger   *slog.Logger
	prof     *profile.ClientProfile
	newCreds func() (common.CredentialIface, error)

	mu     sync.Mutex
	client *dtsapi.Client

	// checks remembers finished pre-checks between rounds (see checks.go).
	checks *checkCache
	// legacyOffline logs, once per target, that the 2018-03-30 API answered
	// that it is not available there.
	legacyOffline sync.Once
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
		logger:  opts.Logger,
		prof:    prof,
		checks:  newCheckCache(),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.caller = &apicall.Caller{
		Limits:  opts.Limits,
		Observe: opts.Observer,
		Logger:  s.logger,
		Retries: opts.Retries,
		Convert: s.convert,
	}
	if s.caller.Limits == nil {
		s.caller.Limits = apicall.NewLimits(config.Providers[ProviderName].RateLimits, opts.Account.RateLimits)
	}
	if creds := opts.Account.Credentials; creds.Static() {
		s.newCreds = func() (common.CredentialIface, error) {
			return common.NewCredential(creds.ID(), creds.Key().Reveal()), nil
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
// answers while the deadline allows.
func (s *Source) call(ctx context.Context, action string, fn func(context.Context, *dtsapi.Client) error) error {
	client, err := s.sdk(ctx)
	if err != nil {
		return err
	}
	return s.caller.Do(ctx, action, func(ctx context.Context) error { return fn(ctx, client) })
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
		e.Message = dts.Truncate(err.Error())
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
			return dts.Truncate("invalid response: " + msg[i+len(", because: "):])
		}
		return "invalid response"
	case "ClientError.HttpStatusCodeError":
		// "Request fail with http status code: <status>, with body: <body>"
		if i := strings.Index(msg, ", with body:"); i >= 0 {
			return dts.Truncate(msg[:i])
		}
		return "unexpected HTTP status"
	case "ClientError.IOError":
		return "reading the response failed"
	}
	return dts.Truncate(msg)
}

// familyActions lists the API actions each family calls.
var familyActions = map[string][]string{
	"sync_jobs":        {"DescribeSyncJobs"},
	"sync_checks":      {"DescribeCheckSyncJobResult"},
	"migration_jobs":   {"DescribeMigrationJobs"},
	"migration_checks": {"DescribeMigrationCheckJob"},
	"legacy_sync":      {legacyListAction, "DescribeSyncCheckJob"},
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

// familyOrder is the order families run in: listings before the checks that
// need their job lists.
var familyOrder = []string{"sync_jobs", "migration_jobs", "legacy_sync", "sync_checks", "migration_checks"}

// Collect implements dts.Source: it runs the account's API families in turn.
// A check family reuses the job list its listing family made in the same
// round, or lists the jobs itself when that family is not collected.
func (s *Source) Collect(ctx context.Context) dts.Snapshot {
	var snap dts.Snapshot
	type listing struct {
		jobs []dts.Job
		err  error
		done bool
	}
	lists := map[string]*listing{"sync": {}, "migration": {}}
	list := func(kind string) ([]dts.Job, error) {
		l := lists[kind]
		if !l.done {
			if kind == "sync" {
				l.jobs, l.err = s.syncJobs(ctx)
			} else {
				l.jobs, l.err = s.migrationJobs(ctx)
			}
			l.done = true
		}
		return l.jobs, l.err
	}
	for _, family := range familyOrder {
		if !slices.Contains(s.account.Collect, family) {
			continue
		}
		start := time.Now()
		res := dts.FamilyResult{Name: family}
		switch family {
		case "sync_jobs":
			res.Kinds = []dts.Kind{dts.KindSync}
			jobs, err := list("sync")
			snap.Jobs = append(snap.Jobs, jobs...)
			res.Err = err
		case "migration_jobs":
			res.Kinds = []dts.Kind{dts.KindMigration}
			jobs, err := list("migration")
			snap.Jobs = append(snap.Jobs, jobs...)
			res.Err = err
		case "legacy_sync":
			res.Kinds = []dts.Kind{dts.KindSync}
			jobs, checks, err := s.legacySync(ctx)
			snap.Jobs = append(snap.Jobs, jobs...)
			snap.Checks = append(snap.Checks, checks...)
			res.Err = err
		case "sync_checks":
			jobs, err := list("sync")
			if err != nil {
				res.Err = fmt.Errorf("no sync job list to check: %w", err)
				break
			}
			checks, err := s.collectChecks(ctx, syncChecks, jobs)
			snap.Checks = append(snap.Checks, checks...)
			res.Err = err
		case "migration_checks":
			jobs, err := list("migration")
			if err != nil {
				res.Err = fmt.Errorf("no migration job list to check: %w", err)
				break
			}
			checks, err := s.collectChecks(ctx, migrationChecks, jobs)
			snap.Checks = append(snap.Checks, checks...)
			res.Err = err
		}
		res.Duration = time.Since(start)
		snap.Families = append(snap.Families, res)
	}
	return snap
}

// page is one page of a job listing.
type page struct {
	jobs []dts.Job
	// n is the number of entries the API returned, usable or not.
	n     int
	total *uint64
}

// listAll pages through a job listing at the API maximum (Limit 100). Pages
// are asked oldest first, so a job created while paging lands on the last
// page instead of pushing a job already seen onto the next one; ids are
// deduplicated anyway. It stops on a short page, on the reported total
// (which may be null), and after maxPages whatever the API says.
func (s *Source) listAll(ctx context.Context, action string, fetch func(ctx context.Context, offset uint64) (page, error)) ([]dts.Job, error) {
	var (
		jobs []dts.Job
		seen = map[string]bool{}
	)
	for offset, n := uint64(0), 1; ; n++ {
		p, err := fetch(ctx, offset)
		if err != nil {
			return nil, err
		}
		for _, job := range p.jobs {
			if !seen[job.ID] {
				seen[job.ID] = true
				jobs = append(jobs, job)
			}
		}
		offset += uint64(p.n)
		switch {
		case p.n < pageLimit, p.total != nil && offset >= *p.total:
			return jobs, nil
		case n >= maxPages:
			s.logger.Warn("stopped paging: too many pages", "action", action, "pages", n, "jobs", len(jobs))
			return jobs, nil
		}
	}
}

// emptyResponse is the error for an answer without a Response object.
func emptyResponse(action string) error {
	return &dts.APIError{Provider: ProviderName, Action: action, Code: "ClientError.EmptyResponse", Class: dts.ClassMalformed, Message: "response has no body"}
}

// syncJobs lists every sync job of the region with DescribeSyncJobs.
func (s *Source) syncJobs(ctx context.Context) ([]dts.Job, error) {
	const action = "DescribeSyncJobs"
	return s.listAll(ctx, action, func(ctx context.Context, offset uint64) (page, error) {
		req := dtsapi.NewDescribeSyncJobsRequest()
		req.Limit = common.Uint64Ptr(pageLimit)
		req.Offset = common.Uint64Ptr(offset)
		req.Order = common.StringPtr("CreateTime")
		req.OrderSeq = common.StringPtr("ASC")
		var resp *dtsapi.DescribeSyncJobsResponse
		err := s.call(ctx, action, func(ctx context.Context, c *dtsapi.Client) error {
			var err error
			resp, err = c.DescribeSyncJobsWithContext(ctx, req)
			return err
		})
		if err != nil {
			return page{}, err
		}
		if resp == nil || resp.Response == nil {
			return page{}, emptyResponse(action)
		}
		p := page{n: len(resp.Response.JobList), total: resp.Response.TotalCount}
		for _, info := range resp.Response.JobList {
			if job, ok := s.syncJob(info); ok {
				p.jobs = append(p.jobs, job)
			}
		}
		return p, nil
	})
}
