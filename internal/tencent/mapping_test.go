package tencent

import (
	"os"
	"testing"

	dtsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dts/v20211206"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/dts"
)

func testSource(t *testing.T) *Source {
	t.Helper()
	s, err := New(Options{Account: config.Account{Name: "acct", Provider: "tencent", Collect: []string{"sync_jobs"}}, Region: "ap-guangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestVendorExample decodes the example answer of the vendor's
// DescribeSyncJobs page with the SDK and checks the job it becomes.
func TestVendorExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/DescribeSyncJobs.vendor-example.json")
	if err != nil {
		t.Fatal(err)
	}
	resp := dtsapi.NewDescribeSyncJobsResponse()
	if err := resp.FromJsonString(string(raw)); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if n := len(resp.Response.JobList); n != 1 {
		t.Fatalf("JobList has %d jobs, want 1", n)
	}
	job, ok := testSource(t).syncJob(resp.Response.JobList[0])
	if !ok {
		t.Fatal("the job was skipped")
	}
	want := dts.Job{
		Provider: "tencent", Account: "acct", Region: "ap-guangzhou", Kind: dts.KindSync,
		ID: "sync-09vy1os1", Name: "roger_test", Type: "mysql2mysql",
		SrcDBType: "mysql", DstDBType: "mysql", SrcRegion: "ap-qingyuan", DstRegion: "ap-qingyuan",
		Status: "Running", Phase: dts.PhaseRunning,
	}
	if job.ID != want.ID || job.Name != want.Name || job.Type != want.Type || job.Status != want.Status ||
		job.Phase != want.Phase || job.SrcRegion != want.SrcRegion || job.DstDBType != want.DstDBType || job.Kind != want.Kind {
		t.Errorf("job identity:\n got %+v\nwant %+v", job, want)
	}
	if job.Progress != nil {
		t.Errorf("Progress -1 must give no value, got %v", *job.Progress)
	}
	checkFloat(t, "StepCurrent", job.StepCurrent, 4)
	checkFloat(t, "StepTotal", job.StepTotal, 4)
	checkFloat(t, "DelaySeconds", job.DelaySeconds, 0)
	checkFloat(t, "LagBytes", job.LagBytes, 0)

	wantSteps := []struct {
		no     uint64
		id     string
		name   string
		status dts.StepStatus
	}{
		{1, "schema-init", "增量库表初始化", dts.StepFinished},
		{2, "dumper", "全量导出", dts.StepFinished},
		{3, "loader", "全量导入", dts.StepFinished},
		{4, "sinker", "同步增量", dts.StepRunning},
	}
	if len(job.Steps) != len(wantSteps) {
		t.Fatalf("got %d steps, want %d", len(job.Steps), len(wantSteps))
	}
	for i, ws := range wantSteps {
		s := job.Steps[i]
		if s.No != ws.no || s.ID != ws.id || s.Name != ws.name || s.Status != ws.status {
			t.Errorf("step %d = %+v, want %+v", i, s, ws)
		}
		if s.Progress != nil {
			t.Errorf("step %d: progress -1 must give no value, got %v", i, *s.Progress)
		}
	}
}

func TestSyncJobSentinelsAndNulls(t *testing.T) {
	s := testSource(t)
	i64 := func(v int64) *int64 { return &v }
	u64 := func(v uint64) *uint64 { return &v }
	str := func(v string) *string { return &v }

	if _, ok := s.syncJob(&dtsapi.SyncJobInfo{JobName: str("no id")}); ok {
		t.Error("a job without JobId was kept")
	}
	job, ok := s.syncJob(&dtsapi.SyncJobInfo{JobId: str("sync-1"), Status: str("Paused")})
	if !ok || job.Phase != dts.PhasePaused || job.Progress != nil || job.StepTotal != nil || job.DelaySeconds != nil {
		t.Errorf("null Detail: got %+v", job)
	}
	job, _ = s.syncJob(&dtsapi.SyncJobInfo{JobId: str("sync-2"), Detail: &dtsapi.SyncDetailInfo{
		Progress: i64(55), SecondsBehindMaster: i64(-1), MasterSlaveDistance: i64(3), StepAll: u64(4), StepNow: u64(3),
		StepInfos: []*dtsapi.StepInfo{nil, {StepId: str("loader"), Status: str("weird"), Progress: i64(101)}},
	}})
	checkFloat(t, "Progress", job.Progress, 0.55)
	checkFloat(t, "LagBytes", job.LagBytes, 3*1024*1024)
	if job.DelaySeconds != nil {
		t.Errorf("SecondsBehindMaster -1 gave delay %v", *job.DelaySeconds)
	}
	if len(job.Steps) != 1 || job.Steps[0].No != 2 || job.Steps[0].Status != "" || job.Steps[0].Progress != nil {
		t.Errorf("steps = %+v; want one step numbered by position, unknown status, no out-of-range progress", job.Steps)
	}
}

func checkFloat(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no value, want %v", name, want)
	} else if *got != want {
		t.Errorf("%s = %v, want %v", name, *got, want)
	}
}
