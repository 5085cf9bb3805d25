package collector

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dts-exporter/dts_exporter/internal/simulator"
)

const (
	aliID       = "LTAIe2e"
	aliKey      = "e2e-access-key-secret"
	aliWrongKey = "e2e-wrong-access-key-secret"
	hangzhou    = "cn-hangzhou"
	aliSecrets  = "SimAliPassw0rd|" + aliKey + "|" + aliWrongKey
)

func aliKeyOf(account, region, kind, id string, extra ...string) string {
	return labelKey(map[string]string{"provider": "alibaba", "account": account, "region": region, "kind": kind, "job_id": id}, extra...)
}

// TestAlibabaVendorExample serves the vendor page's example answer of
// DescribeSynchronizationJobStatus through the real client: as published, and
// with the figures of the page's field table (DelayMillis 856, RPS "100",
// FLOW "1.50MB/s").
func TestAlibabaVendorExample(t *testing.T) {
	example, err := os.ReadFile("../internal/alibaba/testdata/DescribeSynchronizationJobStatus.vendor-example.json")
	if err != nil {
		t.Fatal(err)
	}
	const id = "dtsexjk1alb116****"
	tests := []struct {
		name                string
		answer              string
		delay, rps, flowMiB float64
	}{
		{"as published", string(example), 0, 0, 0},
		{"field table figures", strings.NewReplacer(
			`"DelayMillis": 0`, `"DelayMillis": 856`,
			`"RPS": "0"`, `"RPS": "100"`,
			`"FLOW": "0.00MB/s"`, `"FLOW": "1.50MB/s"`,
		).Replace(string(example)), 0.856, 100, 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.answer == string(example) && tt.delay != 0 {
				t.Fatal("the fixture was not rewritten")
			}
			answers := map[string]string{
				"DescribeSynchronizationJobs":      `{"Success":"true","TotalRecordCount":1,"SynchronizationInstances":[{"SynchronizationJobId":"` + id + `","Status":"synchronizing"}]}`,
				"DescribeSynchronizationJobStatus": tt.answer,
			}
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, ok := answers[r.Header.Get("x-acs-action")]
				if !ok {
					w.WriteHeader(http.StatusNotFound)
					body = `{"Code":"InvalidAction.NotFound","Message":"no such action"}`
				}
				w.Header().Set("Content-Type", "application/json;charset=utf-8")
				_, _ = w.Write([]byte(body))
			}))
			t.Cleanup(fake.Close)
			e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: vendor
    provider: alibaba
    regions: [%s]
    endpoint: %s
    credentials: {access_key_id: %s, access_key_secret: %s}
`, hangzhou, fake.URL, aliID, aliKey))
			_, mfs := e.scrape(t, "")
			if up := series(mfs, "dts_up")[renderLabels(map[string]string{"provider": "alibaba", "account": "vendor", "region": hangzhou})]; up != 1 {
				t.Fatalf("dts_up = %v; logs:\n%s", up, e.logs.String())
			}
			key := aliKeyOf("vendor", hangzhou, "sync", id)
			for name, want := range map[string]float64{
				"dts_job_delay_seconds":                tt.delay,
				"dts_job_records_per_second":           tt.rps,
				"dts_job_flow_bytes_per_second":        tt.flowMiB * (1 << 20),
				"dts_job_checkpoint_timestamp_seconds": 1610616144,
				"dts_job_steps":                        3,
				"dts_job_step_current":                 3,
				"dts_check_passed":                     1,
				"dts_check_progress_ratio":             1,
			} {
				got, ok := series(mfs, name)[key]
				if !ok || math.Abs(got-want) > 1e-9 {
					t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
				}
			}
			if tt.flowMiB == 1.5 && series(mfs, "dts_job_flow_bytes_per_second")[key] != 1572864 {
				t.Errorf("1.50MB/s is not 1572864 bytes/s")
			}
			if v := series(mfs, "dts_job_phase")[aliKeyOf("vendor", hangzhou, "sync", id, "phase", "running")]; v != 1 {
				t.Errorf("phase running = %v, want 1", v)
			}
			if v := series(mfs, "dts_job_status")[aliKeyOf("vendor", hangzhou, "sync", id, "status", "synchronizing")]; v != 1 {
				t.Errorf("status synchronizing = %v, want 1", v)
			}
			stepStatus := series(mfs, "dts_job_step_status")
			for no, want := range map[string]string{"1": "finished", "2": "finished", "3": "running"} {
				ids := map[string]string{"1": "structure_initialization", "2": "data_initialization", "3": "data_synchronization"}
				names := map[string]string{"1": "Structure initialization", "2": "Data initialization", "3": "Data synchronization"}
				k := aliKeyOf("vendor", hangzhou, "sync", id, "step_no", no, "step_id", ids[no], "step_name", names[no], "status", want)
				if stepStatus[k] != 1 {
					t.Errorf("step %s: status %s = %v, want 1", no, want, stepStatus[k])
				}
			}
			// Every one of the 16 precheck items, by name.
			checkSteps := series(mfs, "dts_check_step_status")
			for i, item := range []string{"CHECK_CONN_SRC", "CHECK_AUTH_SRC", "CHECK_CONN_DEST", "CHECK_AUTH_DEST",
				"CHECK_BINLOG_ON", "CHECK_BINLOG_MODE", "CHECK_BINLOG_ROW_IMAGE", "CHECK_SERVER_ID", "CHECK_BINLOG_EXIST",
				"CHECK_ENGINE", "CHECK_MYSQL_PASSOWRD_FORMAT", "CHECK_SRC", "CHECK_SAME_OBJ", "CHECK_SQL_MODE",
				"CHECK_SAME_USER", "CHECK_TOPOLOGY"} {
				k := aliKeyOf("vendor", hangzhou, "sync", id, "step_no", strconv.Itoa(i+1), "step_id", item, "step_name", item, "status", "pass")
				if checkSteps[k] != 1 {
					t.Errorf("precheck item %d %s: pass = %v, want 1", i+1, item, checkSteps[k])
				}
			}
			if n := len(checkSteps); n != 16*7 {
				t.Errorf("%d dts_check_step_status series, want 16 items × 7 states", n)
			}
		})
	}
}

// aliExpectedPhase is the phase of each status the simulator serves.
var aliExpectedPhase = map[string]string{
	"Synchronizing": "running", "synchronizing": "running", "Modifying": "running",
	"Suspending": "paused", "Failed": "failed", "InitializeFailed": "failed",
	"PrecheckFailed": "check_failed", "Prechecking": "checking",
	"Initializing": "initializing", "initializating": "initializing",
	"Finished": "finished", "NotStarted": "pending",
	"Migrating": "running", "MigrationFailed": "failed", "PreCheckPass": "pending",
	"Retrying": "running", "Locked": "paused", "NotConfigured": "pending",
}

// parseFlow is the test's own reading of FLOW: MB/s, bare or with its unit.
func parseFlow(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "MB/s"), 64)
	if err != nil {
		t.Fatalf("simulator FLOW %q: %v", s, err)
	}
	return v * (1 << 20)
}

// TestAlibabaAgainstSimulator runs both Alibaba families through the real
// client against the simulator, beside failing accounts and regions: a wrong
// secret, a throttled call, a DTS error body and a malformed answer.
func TestAlibabaAgainstSimulator(t *testing.T) {
	sim, url := startSim(t, simulator.Options{
		Clock: e2eClock,
		Scenario: simulator.Scenario{
			Epoch:                e2eClock().Add(-10 * time.Minute),
			AlibabaSyncJobs:      map[string]int{hangzhou: 14, "cn-shanghai": 3, "cn-beijing": 2, "cn-shenzhen": 2},
			AlibabaMigrationJobs: map[string]int{hangzhou: 12},
		},
	})
	sim.InjectFault(simulator.Fault{Action: "DescribeSynchronizationJobs", Region: "cn-shanghai", Code: "Throttling.User", Times: 1})
	sim.InjectFault(simulator.Fault{Action: "DescribeSynchronizationJobs", Region: "cn-beijing", Code: "OperationDenied.JobStatus"})
	sim.InjectFault(simulator.Fault{Action: "DescribeSynchronizationJobs", Region: "cn-shenzhen", Malformed: true})
	e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: ali-sync
    provider: alibaba
    regions: [%[1]s, cn-shanghai, cn-beijing, cn-shenzhen]
    endpoint: %[2]s
    credentials: {access_key_id: %[3]s, access_key_secret: %[4]s}
  - name: ali-dts
    provider: alibaba
    regions: [%[1]s]
    endpoint: %[2]s
    credentials: {access_key_id: %[3]s, access_key_secret: %[4]s}
    collect: [dts_jobs]
  - name: ali-badkey
    provider: alibaba
    regions: [%[1]s]
    endpoint: %[2]s
    credentials: {access_key_id: %[3]s, access_key_secret: %[5]s}
`, hangzhou, url, aliID, aliKey, aliWrongKey))
	body, mfs := e.scrape(t, "")
	assertNoAliSecrets(t, "metrics", body)
	assertNoAliSecrets(t, "logs", e.logs.String())

	up := series(mfs, "dts_up")
	for target, want := range map[[2]string]float64{
		{"ali-sync", hangzhou}: 1, {"ali-sync", "cn-shanghai"}: 1, {"ali-dts", hangzhou}: 1,
		{"ali-sync", "cn-beijing"}: 0, {"ali-sync", "cn-shenzhen"}: 0, {"ali-badkey", hangzhou}: 0,
	} {
		if got := up[renderLabels(map[string]string{"provider": "alibaba", "account": target[0], "region": target[1]})]; got != want {
			t.Errorf("dts_up %v = %v, want %v", target, got, want)
		}
	}
	apiErrors := series(mfs, "dts_exporter_api_errors_total")
	for _, c := range []struct{ account, region, class string }{
		{"ali-badkey", hangzhou, "auth"}, {"ali-sync", "cn-shanghai", "throttled"},
		{"ali-sync", "cn-beijing", "other"}, {"ali-sync", "cn-shenzhen", "malformed"},
	} {
		k := renderLabels(map[string]string{"provider": "alibaba", "account": c.account, "region": c.region, "action": "DescribeSynchronizationJobs", "class": c.class})
		if apiErrors[k] < 1 {
			t.Errorf("api errors %v = %v, want ≥ 1", c, apiErrors[k])
		}
	}
	for _, want := range []string{"SignatureDoesNotMatch", "OperationDenied.JobStatus", "MalformedResponse"} {
		if !strings.Contains(e.logs.String(), want) {
			t.Errorf("logs do not name %s", want)
		}
	}

	// synchronization: every direction of every job, as the simulator has it.
	phase, delay := series(mfs, "dts_job_phase"), series(mfs, "dts_job_delay_seconds")
	rps, flow := series(mfs, "dts_job_records_per_second"), series(mfs, "dts_job_flow_bytes_per_second")
	checkpoint := series(mfs, "dts_job_checkpoint_timestamp_seconds")
	statusCalls := 0
	for _, region := range []string{hangzhou, "cn-shanghai"} {
		units := sim.AlibabaSyncJobs(region)
		perID := map[string]int{}
		for _, u := range units {
			perID[u.SynchronizationJobId]++
		}
		for _, u := range units {
			dir := ""
			if perID[u.SynchronizationJobId] > 1 {
				dir = strings.ToLower(u.SynchronizationDirection)
			}
			wantPhase := aliExpectedPhase[u.Status]
			if wantPhase == "" {
				t.Fatalf("no expected phase for simulator status %q", u.Status)
			}
			key := func(extra ...string) string {
				return aliKeyOf("ali-sync", region, "sync", u.SynchronizationJobId, append([]string{"direction", dir}, extra...)...)
			}
			if phase[key("phase", wantPhase)] != 1 {
				t.Errorf("%s %s (%s): phase %s is not 1", u.SynchronizationJobId, dir, u.Status, wantPhase)
			}
			active := map[string]bool{"running": true, "paused": true, "initializing": true, "checking": true}[wantPhase]
			if active {
				statusCalls++
			}
			if got, ok := delay[key()]; active && wantPhase != "checking" && u.DelayMillis != nil {
				if !ok || math.Abs(got-float64(*u.DelayMillis)/1000) > 1e-9 {
					t.Errorf("%s %s: delay %v (present %v), want %v ms", u.SynchronizationJobId, dir, got, ok, *u.DelayMillis)
				}
			} else if ok && map[string]bool{"pending": true, "checking": true, "check_failed": true, "finished": true}[wantPhase] {
				t.Errorf("%s %s (%s): a delay sample (%v) where there is none", u.SynchronizationJobId, dir, u.Status, got)
			}
			if u.Performance.RPS != "" {
				want, _ := strconv.ParseFloat(u.Performance.RPS, 64)
				if got, ok := rps[key()]; !ok || got != want {
					t.Errorf("%s %s: rps %v (present %v), want %v", u.SynchronizationJobId, dir, got, ok, want)
				}
				if got, want := flow[key()], parseFlow(t, u.Performance.FLOW); math.Abs(got-want) > 1e-6 {
					t.Errorf("%s %s: flow %v, want %v (%s)", u.SynchronizationJobId, dir, got, want, u.Performance.FLOW)
				}
			} else if _, ok := rps[key()]; ok {
				t.Errorf("%s %s: an RPS sample where the API has none", u.SynchronizationJobId, dir)
			}
			if active && u.Checkpoint != "" {
				want, _ := strconv.ParseFloat(u.Checkpoint, 64)
				if checkpoint[key()] != want {
					t.Errorf("%s %s: checkpoint %v, want %v", u.SynchronizationJobId, dir, checkpoint[key()], want)
				}
			}
		}
		jobs := series(mfs, "dts_jobs")[renderLabels(map[string]string{"provider": "alibaba", "account": "ali-sync", "region": region, "kind": "sync"})]
		if int(jobs) != len(perID) {
			t.Errorf("%s: dts_jobs = %v, want %d (a two-way job is one job)", region, jobs, len(perID))
		}
	}
	// Per-job status calls only for jobs whose figures move.
	if got := sim.Calls("DescribeSynchronizationJobStatus"); got != statusCalls {
		t.Errorf("DescribeSynchronizationJobStatus calls = %d, want %d (one per direction of each active job)", got, statusCalls)
	}

	// The failed pre-check is exported item by item.
	passed, checkSteps := series(mfs, "dts_check_passed"), series(mfs, "dts_check_step_status")
	for i, u := range sim.AlibabaSyncJobs(hangzhou) {
		if u.Status != "PrecheckFailed" {
			continue
		}
		if v, ok := passed[aliKeyOf("ali-sync", hangzhou, "sync", u.SynchronizationJobId)]; !ok || v != 0 {
			t.Errorf("job %d: dts_check_passed = %v (present %v), want 0", i, v, ok)
		}
		k := aliKeyOf("ali-sync", hangzhou, "sync", u.SynchronizationJobId, "step_no", "5", "step_id", "CHECK_BINLOG_ON", "step_name", "CHECK_BINLOG_ON", "status", "failed")
		if checkSteps[k] != 1 {
			t.Errorf("job %d: CHECK_BINLOG_ON is not failed", i)
		}
	}

	// dts_jobs: sync and migration jobs, the reverse direction of two-way jobs.
	jobs := series(mfs, "dts_jobs")
	for kind, want := range map[string]int{"sync": len(sim.AlibabaDtsSyncJobs(hangzhou)), "migration": len(sim.AlibabaMigrationJobs(hangzhou))} {
		if got := jobs[renderLabels(map[string]string{"provider": "alibaba", "account": "ali-dts", "region": hangzhou, "kind": kind})]; int(got) != want || want == 0 {
			t.Errorf("ali-dts dts_jobs{kind=%s} = %v, want %d", kind, got, want)
		}
	}
	reverse := 0
	for _, j := range sim.AlibabaDtsSyncJobs(hangzhou) {
		if j.ReverseJob == nil {
			continue
		}
		reverse++
		for _, dir := range []string{"forward", "reverse"} {
			k := aliKeyOf("ali-dts", hangzhou, "sync", j.DtsJobId, "direction", dir, "phase", aliExpectedPhase[j.Status])
			if phase[k] != 1 {
				t.Errorf("two-way job %s: no %s series in phase %s", j.DtsJobId, dir, aliExpectedPhase[j.Status])
			}
		}
	}
	if reverse == 0 {
		t.Fatal("the scenario has no two-way job")
	}
	for _, j := range sim.AlibabaMigrationJobs(hangzhou) {
		k := aliKeyOf("ali-dts", hangzhou, "migration", j.DtsJobId, "phase", aliExpectedPhase[j.Status])
		if phase[k] != 1 {
			t.Errorf("migration job %s (%s): phase %s is not 1", j.DtsJobId, j.Status, aliExpectedPhase[j.Status])
		}
		// This API's Delay is in seconds.
		if got, ok := delay[aliKeyOf("ali-dts", hangzhou, "migration", j.DtsJobId)]; aliExpectedPhase[j.Status] == "running" && j.Delay > 0 && (!ok || got != float64(j.Delay)) {
			t.Errorf("migration job %s: delay %v (present %v), want %d s", j.DtsJobId, got, ok, j.Delay)
		}
	}
	if got := sim.Calls("DescribeDtsJobs"); got != 2 {
		t.Errorf("DescribeDtsJobs calls = %d, want 2 (SYNC and MIGRATION, one page each)", got)
	}
}

func assertNoAliSecrets(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range strings.Split(aliSecrets, "|") {
		if i := strings.Index(text, s); i >= 0 {
			t.Errorf("%s contain the secret %q: …%s…", where, s, text[max(0, i-80):min(len(text), i+80)])
		}
	}
}
