package simulator

import (
	"errors"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"
)

func sdkClient(t *testing.T, url string) *dtsapi.Client {
	t.Helper()
	prof := profile.NewClientProfile()
	prof.HttpProfile.Scheme = "HTTP"
	prof.HttpProfile.Endpoint = url[len("http://"):]
	c, err := dtsapi.NewClient(common.NewCredential("AKIDt", "key"), "ap-guangzhou", prof)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sdkCode(err error) string {
	var e *tcerr.TencentCloudSDKError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// TestSyncCheckProgresses follows one checking job through its check:
// running with steps finishing, then the job leaves Checking with a verdict.
func TestSyncCheckProgresses(t *testing.T) {
	epoch := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	now := epoch
	s := New(Options{
		Credentials: map[string]string{"AKIDt": "key"},
		Scenario: Scenario{Epoch: epoch, TencentSyncJobs: map[string]int{"ap-guangzhou": 6},
			SyncStatus: func(string, int) string { return "Checking" }},
		Clock: func() time.Time { return now },
	})
	url, stop, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	c := sdkClient(t, url)
	// Job 3 fails its check (i%3 == 0); it starts 39 s into the check.
	id := *s.TencentSyncJobs("ap-guangzhou")[3].JobId
	ask := func() *dtsapi.DescribeCheckSyncJobResultResponseParams {
		req := dtsapi.NewDescribeCheckSyncJobResultRequest()
		req.JobId = common.StringPtr(id)
		resp, err := c.DescribeCheckSyncJobResult(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Response
	}
	r := ask()
	if *r.Status != "running" || *r.StepInfos[3].Status != "running" || *r.StepInfos[2].Status != "finished" || *r.StepInfos[4].Status != "notStarted" {
		t.Fatalf("at 39 s: status %s, steps 3-5 %s %s %s; want running, finished running notStarted",
			*r.Status, *r.StepInfos[2].Status, *r.StepInfos[3].Status, *r.StepInfos[4].Status)
	}
	if got := s.TencentSyncJobs("ap-guangzhou")[3].Status; got != "Checking" {
		t.Fatalf("job status %s while checking", got)
	}
	now = epoch.Add(80 * time.Second)
	r = ask()
	if *r.Status != "success" || *r.Progress != 100 {
		t.Fatalf("after the check: status %s progress %d, want success 100", *r.Status, *r.Progress)
	}
	if st := r.StepInfos[5]; *st.StepId != "DstEmptyCheck" || *st.Status != "failed" || len(st.Errors) != 1 {
		t.Errorf("DstEmptyCheck: %s with %d errors, want failed with 1", *st.Status, len(st.Errors))
	}
	if got := s.TencentSyncJobs("ap-guangzhou")[3].Status; got != "CheckNotPass" {
		t.Errorf("job status after a failed check = %s, want CheckNotPass", got)
	}
	if got := s.TencentSyncJobs("ap-guangzhou")[1].Status; got != "CheckPass" {
		t.Errorf("job 1 status after its check = %s, want CheckPass", got)
	}
}

// TestCheckAPIsValidate: the check APIs need a JobId of a job that exists,
// and DescribeMigrationJobs refuses a Limit outside [1,100].
func TestCheckAPIsValidate(t *testing.T) {
	_, url := newTestServer(t, 2)
	c := sdkClient(t, url)
	_, err := c.DescribeCheckSyncJobResult(dtsapi.NewDescribeCheckSyncJobResultRequest())
	if code := sdkCode(err); code != "MissingParameter" {
		t.Errorf("no JobId: code %q, want MissingParameter", code)
	}
	req := dtsapi.NewDescribeMigrationCheckJobRequest()
	req.JobId = common.StringPtr("dts-nope0000")
	_, err = c.DescribeMigrationCheckJob(req)
	if code := sdkCode(err); code != "ResourceNotFound.ResourceNotFoundError" {
		t.Errorf("unknown job: code %q, want ResourceNotFound.ResourceNotFoundError", code)
	}
	mreq := dtsapi.NewDescribeMigrationJobsRequest()
	mreq.Limit = common.Uint64Ptr(101)
	_, err = c.DescribeMigrationJobs(mreq)
	if code := sdkCode(err); code != "InvalidParameterValue.InvalidParameterValueError" {
		t.Errorf("Limit 101: code %q, want InvalidParameterValue.InvalidParameterValueError", code)
	}
}
