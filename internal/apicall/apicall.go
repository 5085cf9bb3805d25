// Package apicall is what every provider does around one cloud API call:
// wait for the account's client-side rate limit, count the call, and retry a
// throttled answer with jittered backoff while the scrape deadline allows.
package apicall

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// Options configure the Source of one target, whatever its provider.
type Options struct {
	Account  config.Account
	Region   string
	Limits   *Limits
	Observer dts.CallObserver
	Logger   *slog.Logger
	// Retries is how often a throttled call is retried within the deadline.
	Retries int
}

// DefaultRate applies to actions without a documented limit: the most
// conservative limit the vendors' API pages give.
const DefaultRate = 20

// Limits holds the client-side rate limiters of one account, shared by all of
// its regions: the vendors do not always say whether a limit is per region.
type Limits struct {
	mu         sync.Mutex
	documented map[string]float64
	overrides  map[string]float64
	limiters   map[string]*rate.Limiter
}

// NewLimits returns the limiters of one account: the documented per-action
// limits (requests per second), with the account's rate_limits overrides.
func NewLimits(documented, overrides map[string]float64) *Limits {
	return &Limits{documented: documented, overrides: overrides, limiters: map[string]*rate.Limiter{}}
}

// Rate returns the limit of action in requests per second.
func (l *Limits) Rate(action string) float64 {
	if r, ok := l.overrides[action]; ok {
		return r
	}
	if r, ok := l.documented[action]; ok {
		return r
	}
	return DefaultRate
}

// Wait blocks until action may be called, or ctx ends.
func (l *Limits) Wait(ctx context.Context, action string) error {
	l.mu.Lock()
	lim, ok := l.limiters[action]
	if !ok {
		r := l.Rate(action)
		lim = rate.NewLimiter(rate.Limit(r), max(1, int(r)))
		l.limiters[action] = lim
	}
	l.mu.Unlock()
	return lim.Wait(ctx)
}

// Caller makes the calls of one target.
type Caller struct {
	Limits *Limits
	// Observe is told about every attempt.
	Observe dts.CallObserver
	Logger  *slog.Logger
	// Retries is how often a throttled call is retried within the deadline.
	Retries int
	// Convert turns an SDK error (or a context error) into a *dts.APIError
	// whose message carries no response body.
	Convert func(action string, err error) error
}

// Do runs fn for action under the rate limit, retrying throttled answers.
// The error it returns has been through Convert.
func (c *Caller) Do(ctx context.Context, action string, fn func(context.Context) error) error {
	for attempt := 0; ; attempt++ {
		if err := c.Limits.Wait(ctx, action); err != nil {
			return c.Convert(action, err)
		}
		start := time.Now()
		err := fn(ctx)
		if err != nil && ctx.Err() != nil {
			// SDKs flatten a context error into their own network error and
			// drop the wrapped one; the context tells the truth.
			err = ctx.Err()
		}
		err = c.Convert(action, err)
		if c.Observe != nil {
			c.Observe(action, time.Since(start), err)
		}
		if err == nil || dts.ClassOf(err) != dts.ClassThrottled || attempt >= c.Retries {
			return err
		}
		backoff := time.Duration(200*(1<<attempt))*time.Millisecond + rand.N(100*time.Millisecond)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < backoff {
			return err
		}
		if c.Logger != nil {
			c.Logger.Debug("api call throttled, retrying", "action", action, "attempt", attempt+1, "backoff", backoff)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
	}
}
