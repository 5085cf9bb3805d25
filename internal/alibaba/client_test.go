package alibaba

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
	"github.com/dts-exporter/dts_exporter/internal/simulator"
	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

const (
	testID  = "LTAItest"
	testKey = "test-access-key-secret"
)

var fixedClock = func() time.Time { return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC) }

func startSim(t *testing.T, sc simulator.Scenario) (*simulator.Server, string) {
	t.Helper()
	sc.Epoch = fixedClock().Add(-10 * time.Minute)
	sim := simulator.New(simulator.Options{
		Credentials: map[string]string{testID: testKey},
		Scenario:    sc,
		Clock:       fixedClock,
	})
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return sim, url
}

type calls struct {
	mu   sync.Mutex
	n    map[string]int
	errs []error
}

func (c *calls) observe(action string, _ time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[action]++
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

func newSource(t *testing.T, url, key string, collect []string, c *calls, logger *testutil.Buffer) *Source {
	t.Helper()
	acct := config.Account{
		Name: "ali", Provider: ProviderName, Endpoint: url, Collect: collect,
		Credentials: config.Credentials{AccessKeyID: testID}.WithKey(key),
	}
	opts := Options{Account: acct, Region: "cn-hangzhou", Retries: 2}
	if c != nil {
		opts.Observer = c.observe
	}
	if logger != nil {
		opts.Logger = slog.New(slog.NewTextHandler(logger, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func collect(t *testing.T, s *Source) dts.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Collect(ctx)
}

func TestSmokeSynchronization(t *testing.T) {
	_, url := startSim(t, simulator.Scenario{AlibabaSyncJobs: map[string]int{"cn-hangzhou": 14}})
	c := &calls{}
	snap := collect(t, newSource(t, url, testKey, []string{"synchronization", "dts_jobs"}, c, nil))
	if err := snap.Err(); err != nil {
		t.Fatal(err)
	}
	for _, j := range snap.Jobs {
		t.Logf("%s %s %s %s %s delay=%v rps=%v flow=%v steps=%d", j.Kind, j.ID, j.Direction, j.Status, j.Phase, ptr(j.DelaySeconds), ptr(j.RecordsPerSecond), ptr(j.FlowBytesPerSecond), len(j.Steps))
	}
	t.Logf("calls %v checks %d", c.n, len(snap.Checks))
	_ = strings.Contains
}

func ptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
