package tencent

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
	"github.com/dts-exporter/dts_exporter/internal/simulator"
)

const (
	testID  = "AKIDtest"
	testKey = "test-secret-key-value"
)

var fixedClock = func() time.Time { return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC) }

// startSim serves a simulator on loopback for the test's lifetime.
func startSim(t *testing.T, jobs map[string]int) (*simulator.Server, string) {
	t.Helper()
	sim := simulator.New(simulator.Options{
		Credentials: map[string]string{testID: testKey},
		Scenario:    simulator.Scenario{TencentSyncJobs: jobs, Epoch: fixedClock().Add(-10 * time.Minute)},
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
	errs []error
	n    int
}

func (c *calls) observe(_ string, _ time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

func newSource(t *testing.T, url, key string, c *calls) *Source {
	t.Helper()
	acct := config.Account{
		Name: "acct", Provider: "tencent", Endpoint: url, Collect: []string{"sync_jobs"},
		Credentials: config.Credentials{SecretID: testID}.WithKey(key),
	}
	s, err := New(Options{Account: acct, Region: "ap-guangzhou", Observer: c.observe, Retries: 2})
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

func TestPaginatesPastOneHundredJobs(t *testing.T) {
	sim, url := startSim(t, map[string]int{"ap-guangzhou": 251})
	var c calls
	snap := collect(t, newSource(t, url, testKey, &c))
	if err := snap.Err(); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if len(snap.Jobs) != 251 {
		t.Errorf("got %d jobs, want 251", len(snap.Jobs))
	}
	if got := sim.Calls("DescribeSyncJobs"); got != 3 {
		t.Errorf("DescribeSyncJobs called %d times, want 3 pages of at most 100", got)
	}
	ids := map[string]bool{}
	for _, j := range snap.Jobs {
		ids[j.ID] = true
	}
	for _, w := range sim.TencentSyncJobs("ap-guangzhou") {
		if !ids[*w.JobId] {
			t.Errorf("job %s is missing", *w.JobId)
		}
	}
	if len(snap.Families) != 1 || snap.Families[0].Name != "sync_jobs" || !slices.Equal(snap.Families[0].Kinds, []dts.Kind{dts.KindSync}) {
		t.Errorf("families = %+v", snap.Families)
	}
}

func TestWrongKeyIsAnAuthError(t *testing.T) {
	_, url := startSim(t, map[string]int{"ap-guangzhou": 3})
	var c calls
	snap := collect(t, newSource(t, url, "not-the-key", &c))
	err := snap.Err()
	var apiErr *dts.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an APIError", err)
	}
	if apiErr.Code != "AuthFailure.SignatureFailure" || apiErr.Class != dts.ClassAuth {
		t.Errorf("code %s class %s, want AuthFailure.SignatureFailure auth", apiErr.Code, apiErr.Class)
	}
	if len(snap.Jobs) != 0 {
		t.Errorf("got %d jobs from a refused call", len(snap.Jobs))
	}
	if len(c.errs) != 1 {
		t.Errorf("observer saw %d errors, want 1 (auth errors are not retried)", len(c.errs))
	}
}

func TestThrottledCallsAreRetried(t *testing.T) {
	for _, code := range []string{"RequestLimitExceeded", "RequestLimitExceeded.RequestLimitExceededError"} {
		t.Run(code, func(t *testing.T) {
			sim, url := startSim(t, map[string]int{"ap-guangzhou": 5})
			sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Code: code, Times: 1})
			var c calls
			snap := collect(t, newSource(t, url, testKey, &c))
			if err := snap.Err(); err != nil {
				t.Fatalf("Collect: %v", err)
			}
			if len(snap.Jobs) != 5 || sim.Calls("DescribeSyncJobs") != 2 || c.n != 2 {
				t.Errorf("jobs %d, calls %d, observed %d; want 5 jobs after one retry", len(snap.Jobs), sim.Calls("DescribeSyncJobs"), c.n)
			}
		})
	}
}

func TestPersistentThrottlingFails(t *testing.T) {
	sim, url := startSim(t, map[string]int{"ap-guangzhou": 5})
	sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Code: "RequestLimitExceeded"})
	var c calls
	snap := collect(t, newSource(t, url, testKey, &c))
	if dts.ClassOf(snap.Err()) != dts.ClassThrottled {
		t.Fatalf("error = %v, want throttled", snap.Err())
	}
	if got := sim.Calls("DescribeSyncJobs"); got != 3 {
		t.Errorf("%d calls, want 1 + 2 retries", got)
	}
}

func TestMalformedAnswerLeaksNothing(t *testing.T) {
	sim, url := startSim(t, map[string]int{"ap-guangzhou": 5})
	sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Malformed: true})
	var c calls
	snap := collect(t, newSource(t, url, testKey, &c))
	err := snap.Err()
	if dts.ClassOf(err) != dts.ClassMalformed {
		t.Fatalf("error = %v, want class malformed", err)
	}
	if strings.Contains(err.Error(), "SimPassw0rd") || strings.Contains(err.Error(), "JobList") {
		t.Errorf("error quotes the response body: %v", err)
	}
}

func TestDeadlineBoundsSlowAnswers(t *testing.T) {
	sim, url := startSim(t, map[string]int{"ap-guangzhou": 5})
	sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Delay: 5 * time.Second})
	var c calls
	s := newSource(t, url, testKey, &c)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	snap := s.Collect(ctx)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Collect took %s past a 300ms deadline", took)
	}
	if dts.ClassOf(snap.Err()) != dts.ClassTimeout {
		t.Errorf("error = %v, want timeout", snap.Err())
	}
}

func TestRegionIsAlwaysSent(t *testing.T) {
	_, url := startSim(t, map[string]int{"ap-guangzhou": 1})
	acct := config.Account{Name: "acct", Provider: "tencent", Endpoint: url, Collect: []string{"sync_jobs"},
		Credentials: config.Credentials{SecretID: testID}.WithKey(testKey)}
	// The simulator refuses a call without X-TC-Region (MissingParameter),
	// so an answer with the region's job proves the header went out.
	s, err := New(Options{Account: acct, Region: "ap-guangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	snap := collect(t, s)
	if snap.Err() != nil || len(snap.Jobs) != 1 {
		t.Fatalf("err %v, %d jobs", snap.Err(), len(snap.Jobs))
	}
	s2, _ := New(Options{Account: acct, Region: ""})
	if err := collect(t, s2).Err(); err == nil || !strings.Contains(err.Error(), "MissingParameter") {
		t.Errorf("without a region: %v, want MissingParameter", err)
	}
}
