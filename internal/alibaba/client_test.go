package alibaba

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
	"github.com/dts-exporter/dts_exporter/internal/simulator"
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

func newSource(t *testing.T, url string, collect []string) *Source {
	t.Helper()
	acct := config.Account{
		Name: "ali", Provider: ProviderName, Endpoint: url, Collect: collect,
		Credentials: config.Credentials{AccessKeyID: testID}.WithKey(testKey),
	}
	s, err := New(Options{Account: acct, Region: "cn-hangzhou", Retries: 2})
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

// TestCredentialChainFromEnvironment: with no credentials in the file, the
// standard chain reads ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET; a wrong secret is
// refused by the signature check, and named as an auth error.
func TestCredentialChainFromEnvironment(t *testing.T) {
	_, url := startSim(t, simulator.Scenario{AlibabaSyncJobs: map[string]int{"cn-hangzhou": 3}})
	for _, tt := range []struct {
		secret, code string
	}{{testKey, ""}, {"not-" + testKey, "SignatureDoesNotMatch"}} {
		t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", testID)
		t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", tt.secret)
		s, err := New(Options{Account: config.Account{Name: "env", Provider: ProviderName, Endpoint: url, Collect: []string{"synchronization"}}, Region: "cn-hangzhou"})
		if err != nil {
			t.Fatal(err)
		}
		snap := collect(t, s)
		err = snap.Err()
		switch {
		case tt.code == "" && (err != nil || len(snap.Jobs) != 3):
			t.Errorf("environment credentials: err %v, %d jobs; want 3 jobs", err, len(snap.Jobs))
		case tt.code != "" && (dts.CodeOf(err) != tt.code || dts.ClassOf(err) != dts.ClassAuth):
			t.Errorf("wrong secret: err %v, want %s (auth)", err, tt.code)
		}
		if err != nil && strings.Contains(err.Error(), tt.secret) {
			t.Errorf("the error shows the secret: %v", err)
		}
	}
}

// TestSuccessFalseIsAnError: DTS reports errors with HTTP 200 and Success
// false (a bool in the new APIs, a string in the old), with %s filled from
// DynamicMessage.
func TestSuccessFalseIsAnError(t *testing.T) {
	tests := []struct {
		body, code, msg string
		class           dts.ErrorClass
	}{
		{`{"Success":"true","RequestId":"r"}`, "", "", ""},
		{`{"Success":true,"ErrCode":""}`, "", "", ""},
		{`{"RequestId":"r"}`, "", "", ""},
		{`{"Success":false,"ErrCode":"InvalidParameter","ErrMessage":"The parameter %s is invalid.","DynamicMessage":"PageSize"}`, "InvalidParameter", "The parameter PageSize is invalid.", dts.ClassOther},
		{`{"Success":"false","ErrCode":"DTS.Msg.Throttling.User","ErrMessage":"slow down"}`, "DTS.Msg.Throttling.User", "slow down", dts.ClassThrottled},
		{`{"Success":"false","ErrCode":"InvalidJobId.NotFound"}`, "InvalidJobId.NotFound", "", dts.ClassNotFound},
		{`{"Success":"false"}`, "UnknownError", "", dts.ClassOther},
		{`{"ErrCode":"Forbidden.RAM","ErrMessage":"denied"}`, "Forbidden.RAM", "denied", dts.ClassAuth},
	}
	for _, tt := range tests {
		var resp syncListResponse
		if err := json.Unmarshal([]byte(tt.body), &resp); err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		err := envelopeError("DescribeSynchronizationJobs", resp.env())
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tt.body, err)
			}
			continue
		}
		var apiErr *dts.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.Message != tt.msg || apiErr.Class != tt.class {
			t.Errorf("%s: got %#v, want code %s, message %q, class %s", tt.body, err, tt.code, tt.msg, tt.class)
		}
	}
}

// TestDeadlineBoundsTheRound: an answer that never comes ends with the
// scrape's deadline, as a timeout.
func TestDeadlineBoundsTheRound(t *testing.T) {
	sim, url := startSim(t, simulator.Scenario{AlibabaSyncJobs: map[string]int{"cn-hangzhou": 3}})
	sim.InjectFault(simulator.Fault{Action: "DescribeSynchronizationJobs", Delay: time.Minute})
	s := newSource(t, url, []string{"synchronization"})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	snap := s.Collect(ctx)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("collection took %v, want it bounded by the 300ms deadline", took)
	}
	if dts.ClassOf(snap.Err()) != dts.ClassTimeout {
		t.Errorf("err = %v, want a timeout", snap.Err())
	}
}
