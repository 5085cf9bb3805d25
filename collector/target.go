package collector

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/dts-exporter/dts_exporter/internal/alibaba"
	"github.com/dts-exporter/dts_exporter/internal/apicall"
	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
	"github.com/dts-exporter/dts_exporter/internal/tencent"
)

// Target is one (account, region) of one cloud. Concurrent scrapes of a target
// share one round of API calls: a Prometheus HA pair does not double the cost.
type Target struct {
	Provider string
	Account  string
	Region   string

	source dts.Source
	round  singleflight.Group
}

// NewTarget wraps a source as a target.
func NewTarget(provider, account, region string, source dts.Source) *Target {
	return &Target{Provider: provider, Account: account, Region: region, source: source}
}

// Collect returns the target's snapshot, joining a round already under way.
// It returns by ctx's deadline even if the cloud does not answer.
func (t *Target) Collect(ctx context.Context) dts.Snapshot {
	if ctx.Err() != nil {
		return t.timedOut(ctx)
	}
	ch := t.round.DoChan("round", func() (any, error) {
		// The round is shared, so one scraper going away must not cancel it
		// for the others; the deadline still bounds it.
		rctx := context.WithoutCancel(ctx)
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			rctx, cancel = context.WithDeadline(rctx, dl)
			defer cancel()
		}
		return t.source.Collect(rctx), nil
	})
	select {
	case <-ctx.Done():
		return t.timedOut(ctx)
	case res := <-ch:
		return res.Val.(dts.Snapshot)
	}
}

// timedOut is the snapshot of a target whose round did not finish in time.
func (t *Target) timedOut(ctx context.Context) dts.Snapshot {
	err := &dts.APIError{Provider: t.Provider, Code: "Timeout", Class: dts.ClassTimeout,
		Message: fmt.Sprintf("collection of %s/%s did not finish before the scrape deadline: %v", t.Account, t.Region, ctx.Err())}
	return dts.Snapshot{Families: []dts.FamilyResult{{Name: "all", Err: err}}}
}

// providers are the clouds this build implements: how to build a target's
// source, and the API actions its families call.
var providers = map[string]struct {
	new     func(apicall.Options) (dts.Source, error)
	actions func(families []string) []string
}{
	tencent.ProviderName: {func(o apicall.Options) (dts.Source, error) { return tencent.New(o) }, tencent.Actions},
	alibaba.ProviderName: {func(o apicall.Options) (dts.Source, error) { return alibaba.New(o) }, alibaba.Actions},
}

// NewTargets builds one target per (account, region) of the configuration.
// API calls are counted on api, with the target's labels.
func NewTargets(cfg *config.Config, api *APIMetrics, logger *slog.Logger) ([]*Target, error) {
	var targets []*Target
	for _, acct := range cfg.Accounts {
		limits := apicall.NewLimits(config.Providers[acct.Provider].RateLimits, acct.RateLimits)
		for _, region := range acct.Regions {
			observe := api.observer(acct.Provider, acct.Name, region)
			p, ok := providers[acct.Provider]
			if !ok {
				return nil, fmt.Errorf("account %s: provider %q is not implemented", acct.Name, acct.Provider)
			}
			api.initErrors(acct.Provider, acct.Name, region, p.actions(acct.Collect))
			src, err := p.new(apicall.Options{
				Account:  acct,
				Region:   region,
				Limits:   limits,
				Observer: observe,
				Logger:   logger.With("provider", acct.Provider, "account", acct.Name, "region", region),
				Retries:  2,
			})
			if err != nil {
				return nil, fmt.Errorf("account %s, region %s: %w", acct.Name, region, err)
			}
			targets = append(targets, NewTarget(acct.Provider, acct.Name, region, src))
		}
	}
	return targets, nil
}

// initErrors makes a target's error counters start at 0, so that the first
// error is an increase that rate() and increase() can see.
func (m *APIMetrics) initErrors(provider, account, region string, actions []string) {
	for _, action := range actions {
		for _, class := range dts.ErrorClasses {
			m.Errors.WithLabelValues(provider, account, region, action, string(class))
		}
	}
}

// observer returns the CallObserver of one target.
func (m *APIMetrics) observer(provider, account, region string) dts.CallObserver {
	return func(action string, took time.Duration, err error) {
		m.Requests.WithLabelValues(provider, action, dts.CodeOf(err)).Inc()
		m.Duration.WithLabelValues(provider, action).Observe(took.Seconds())
		if err != nil {
			m.Errors.WithLabelValues(provider, account, region, action, string(dts.ClassOf(err))).Inc()
		}
	}
}
