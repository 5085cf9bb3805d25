package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"
)

func newTestServer(t *testing.T, jobs int) (*Server, string) {
	t.Helper()
	s := New(Options{
		Credentials: map[string]string{"AKIDt": "key"},
		Scenario:    Scenario{TencentSyncJobs: map[string]int{"ap-guangzhou": jobs}},
		Clock:       func() time.Time { return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC) },
	})
	url, stop, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return s, url
}

// TestUnsignedRequestIsRefused: without a valid TC3 signature the simulator
// answers an API 3.0 error, as the cloud does.
func TestUnsignedRequestIsRefused(t *testing.T) {
	_, url := newTestServer(t, 1)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-TC-Action", "DescribeSyncJobs")
	req.Header.Set("X-TC-Version", "2021-12-06")
	req.Header.Set("X-TC-Region", "ap-guangzhou")
	req.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential=AKIDt/2026-11-21/dts/tc3_request, SignedHeaders=content-type;host, Signature=00")
	req.Header.Set("X-TC-Timestamp", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Response struct{ Error struct{ Code string } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Response.Error.Code != "AuthFailure.SignatureExpire" {
		t.Errorf("code %q, want AuthFailure.SignatureExpire for a stale timestamp", out.Response.Error.Code)
	}
}

// TestAnswersLookLikeTheVendorExamples: the wire answer carries what real
// answers carry and the exporter must cope with: explicit nulls, -1
// sentinels, zero dates, Chinese step names and secret-bearing endpoints.
func TestAnswersLookLikeTheVendorExamples(t *testing.T) {
	s, _ := newTestServer(t, 21)
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(s.TencentSyncJobs("ap-guangzhou")); err != nil {
		t.Fatal(err)
	}
	wire := buf.String()
	for _, want := range []string{
		`"Errors":null`, `"Detail":null`, `"Progress":-1`, `"EndTime":"0000-00-00 00:00:00"`, `"Info":null`,
		`"StepName":"同步增量"`, `"Password":"SimPassw0rd-src-`, `"TmpSecretKey":"SimTmpSecretKey-`, `"TmpToken":"SimTmpToken-`,
		`"JobName":null`,
	} {
		if !strings.Contains(wire, want) {
			t.Errorf("the answer lacks %s", want)
		}
	}
	statuses := map[string]bool{}
	for _, j := range s.TencentSyncJobs("ap-guangzhou") {
		statuses[j.Status] = true
	}
	for _, st := range tcSyncPattern {
		if !statuses[st] {
			t.Errorf("no job in status %s", st)
		}
	}
}

// TestJobsEvolve: a running job advances through its steps over time.
func TestJobsEvolve(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	s := New(Options{
		Scenario: Scenario{TencentSyncJobs: map[string]int{"ap-guangzhou": 1}, Epoch: now},
		Clock:    func() time.Time { return now },
	})
	before := s.TencentSyncJobs("ap-guangzhou")[0].Detail
	now = now.Add(10 * time.Minute)
	after := s.TencentSyncJobs("ap-guangzhou")[0].Detail
	if before.StepNow >= after.StepNow || before.Progress < 0 || after.Progress != -1 {
		t.Errorf("step %d (progress %d) -> step %d (progress %d); want the full load to finish into incremental sync",
			before.StepNow, before.Progress, after.StepNow, after.Progress)
	}
}

func TestFaultsAreCountedAndExpire(t *testing.T) {
	s := New(Options{})
	s.InjectFault(Fault{Action: "DescribeSyncJobs", Code: "X", Times: 2})
	for i, want := range []bool{true, true, false} {
		if got := s.takeFault("DescribeSyncJobs", "r") != nil; got != want {
			t.Errorf("call %d: fault %v, want %v", i, got, want)
		}
	}
	if s.Calls("DescribeSyncJobs") != 3 {
		t.Errorf("calls = %d, want 3", s.Calls("DescribeSyncJobs"))
	}
}

// TestLimitOutOfRangeIsRefused sends signed requests through the SDK with
// Limit outside [1,100], which the cloud refuses.
func TestLimitOutOfRangeIsRefused(t *testing.T) {
	_, url := newTestServer(t, 3)
	prof := profile.NewClientProfile()
	prof.HttpProfile.Scheme = "HTTP"
	prof.HttpProfile.Endpoint = strings.TrimPrefix(url, "http://")
	client, err := dtsapi.NewClient(common.NewCredential("AKIDt", "key"), "ap-guangzhou", prof)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []uint64{0, 101} {
		req := dtsapi.NewDescribeSyncJobsRequest()
		req.Limit = common.Uint64Ptr(limit)
		_, err := client.DescribeSyncJobs(req)
		var sdkErr *tcerr.TencentCloudSDKError
		if !errors.As(err, &sdkErr) || sdkErr.Code != "InvalidParameterValue.InvalidParameterValueError" {
			t.Errorf("Limit %d: error %v, want InvalidParameterValue.InvalidParameterValueError", limit, err)
		}
	}
	req := dtsapi.NewDescribeSyncJobsRequest()
	req.Limit = common.Uint64Ptr(100)
	resp, err := client.DescribeSyncJobs(req)
	if err != nil || resp.Response.TotalCount == nil || *resp.Response.TotalCount != 3 {
		t.Errorf("Limit 100: %v", err)
	}
}
