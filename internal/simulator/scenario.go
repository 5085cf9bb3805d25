package simulator

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"
)

// Scenario describes the simulated fleet. Jobs are a pure function of the
// scenario and the clock, so the same time always gives the same answer.
type Scenario struct {
	// Epoch is the scenario's start; jobs were created before it and evolve
	// after it. Zero means the simulator's start time.
	Epoch time.Time
	// TencentSyncJobs maps a region to its number of sync jobs. Regions
	// not listed answer with no jobs.
	TencentSyncJobs map[string]int
	// TencentMigrationJobs maps a region to its number of migration jobs.
	TencentMigrationJobs map[string]int
	// TencentLegacySyncJobs maps a region to its number of 2018-03-30 sync
	// jobs. In regions not listed the 2018-03-30 API answers ActionOffline.
	TencentLegacySyncJobs map[string]int
	// SyncStatus, if set, overrides the status of sync job i of a region
	// (tests build fleets with it). A "Checking" job still finishes its
	// check as time passes.
	SyncStatus func(region string, i int) string

	// AlibabaSyncJobs maps an Alibaba region to its number of
	// synchronization jobs (every seventh is two-way). DescribeDtsJobs
	// (JobType SYNC) lists the same jobs under its own task ids.
	AlibabaSyncJobs map[string]int
	// AlibabaMigrationJobs maps an Alibaba region to its number of
	// migration jobs (DescribeDtsJobs, JobType MIGRATION).
	AlibabaMigrationJobs map[string]int
	// AlibabaSyncStatus, if set, overrides the status of synchronization
	// job i of a region.
	AlibabaSyncStatus func(region string, i int) string
}

// DemoScenario is the fleet of the --demo mode: Tencent sync, migration and
// 2018-03-30 sync jobs in two regions, and Alibaba synchronization and
// migration jobs, covering every status.
func DemoScenario() Scenario {
	return Scenario{
		TencentSyncJobs:      map[string]int{"ap-guangzhou": 8, "ap-shanghai": 4},
		TencentMigrationJobs: map[string]int{"ap-guangzhou": 6, "ap-shanghai": 3},
		// The 2018-03-30 API only in Guangzhou: Shanghai shows how an
		// account without it is handled.
		TencentLegacySyncJobs: map[string]int{"ap-guangzhou": 5},
		AlibabaSyncJobs:       map[string]int{"cn-hangzhou": 14, "cn-shanghai": 4},
		AlibabaMigrationJobs:  map[string]int{"cn-hangzhou": 12},
	}
}

// tcSyncPattern assigns statuses to jobs in turn. It holds every SyncJobInfo
// Status of API 2021-12-06, with Running the most common, as in a real fleet.
var tcSyncPattern = []string{
	"Running", "Running", "Paused", "Failed", "Running", "CheckNotPass", "Checking",
	"ResumableErr", "Running", "Stopped", "CheckPass", "Initialized", "Running",
	"ReadyRunning", "Pausing", "Stopping", "Resuming", "UnInitialized", "Released",
	"Resetting", "Unknown",
}

var tcLinks = [][2]string{
	{"mysql", "mysql"}, {"mysql", "kafka"}, {"cynosdbmysql", "mysql"}, {"tdsqlmysql", "tdsqlmysql"},
	{"mariadb", "mysql"}, {"postgresql", "postgresql"}, {"mongodb", "mongodb"},
}

var tcNames = []string{"orders-dr", "users-sync", "billing-to-kafka", "inventory-replica", "audit-archive", "payments-dr", "catalog-sync"}

// Step timeline of a running job: structure, full export, full import, then
// incremental sync forever. Short, so that a demo shows steps advancing.
var tcSteps = []struct {
	id, name string
	seconds  float64
}{
	{"schema-init", "结构初始化", 20},
	{"dumper", "全量导出", 90},
	{"loader", "全量导入", 90},
	{"sinker", "同步增量", 0},
}

const tcTimeLayout = "2006-01-02 15:04:05"

// tcZero is how the API spells an unset time.
const tcZero = "0000-00-00 00:00:00"

var beijing = time.FixedZone("UTC+8", 8*3600)

func tcTime(t time.Time) string { return t.In(beijing).Format(tcTimeLayout) }

// tencentRegions returns the scenario's regions in a stable order.
func (sc Scenario) tencentRegions() []string {
	regions := make([]string, 0, len(sc.TencentSyncJobs))
	for r := range sc.TencentSyncJobs {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	return regions
}

// TencentSyncJobs returns the sync jobs of a region as the API would answer
// them now, oldest first.
func (s *Server) TencentSyncJobs(region string) []TCSyncJob {
	sc := s.opts.Scenario
	n := sc.TencentSyncJobs[region]
	ri := slices.Index(sc.tencentRegions(), region)
	now := s.clock()
	jobs := make([]TCSyncJob, 0, n)
	seen := map[string]bool{}
	for i := range n {
		id := jobID("sync-", region, i)
		for salt := 0; seen[id]; salt++ {
			id = jobID("sync-", fmt.Sprintf("%s/%d", region, salt), i)
		}
		seen[id] = true
		status := tcSyncPattern[(i+7*ri)%len(tcSyncPattern)]
		if sc.SyncStatus != nil {
			status = sc.SyncStatus(region, i)
		}
		status = checkCycleStatus(status, sc.Epoch, now, i)
		jobs = append(jobs, tcSyncJob(sc.Epoch, now, region, status, ri, i, n, id))
	}
	return jobs
}

// jobID derives a stable 8-character id in the API's style (sync-09vy1os1).
func jobID(prefix, region string, i int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", region, i)
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	v := h.Sum64()
	var b strings.Builder
	b.WriteString(prefix)
	for range 8 {
		b.WriteByte(alphabet[v%36])
		v /= 36
	}
	return b.String()
}

func tcSyncJob(epoch, now time.Time, region, status string, ri, i, n int, id string) TCSyncJob {
	link := tcLinks[(i+ri)%len(tcLinks)]
	created := epoch.Add(-time.Duration(n-i) * 3 * time.Hour)
	started := epoch.Add(-time.Duration((i*137)%900) * time.Second)
	var name *string
	if i%11 != 10 { // some jobs have no name: the API answers null
		v := fmt.Sprintf("%s-%d", tcNames[i%len(tcNames)], i)
		name = &v
	}
	job := TCSyncJob{
		JobId:            &id,
		JobName:          name,
		PayMode:          []string{"PostPay", "PrePay"}[i%2],
		RunMode:          "Immediate",
		ExpectRunTime:    tcZero,
		AllActions:       []string{"view", "configure", "check", "start", "stop", "pause", "resume", "isolate", "offline"},
		Actions:          []string{"view"},
		Options:          &TCOptions{InitType: "Full", DealOfExistSameTable: "ExecuteAfterIgnore", ConflictHandleType: "ReportError"},
		Objects:          &TCObjects{Mode: "Partial", Databases: []TCDatabase{{DbName: "db_" + tcNames[i%len(tcNames)], DbMode: "All", TableMode: "All"}}},
		ExpireTime:       tcZero,
		SrcRegion:        region,
		SrcDatabaseType:  link[0],
		SrcAccessType:    "cdb",
		SrcInfo:          tcEndpoint(region, "src", id, i),
		SrcNodeType:      "single",
		SrcInfos:         &TCEndpointInfos{},
		DstRegion:        region,
		DstDatabaseType:  link[1],
		DstAccessType:    "cdb",
		DstInfo:          tcEndpoint(region, "dst", id, i),
		DstNodeType:      "single",
		DstInfos:         &TCEndpointInfos{},
		CreateTime:       tcTime(created),
		StartTime:        tcTime(started),
		EndTime:          tcZero,
		Status:           status,
		Tags:             []TCTag{},
		TradeStatus:      "Normal",
		InstanceClass:    []string{"micro", "small", "medium", "large"}[i%4],
		OfflineTime:      tcZero,
		OptObjStatus:     "Normal",
		DumperResumeCtrl: "yes",
	}
	if i%5 == 0 {
		job.Tags = []TCTag{{TagKey: "team", TagValue: "data-platform"}}
	}
	if status == "Initialized" || status == "UnInitialized" || strings.HasPrefix(status, "Check") {
		job.StartTime = ""
	}
	job.Detail = tcDetail(status, now, started, i)
	if status == "Stopped" || status == "Released" {
		job.EndTime = tcTime(epoch.Add(-time.Duration(i) * time.Minute))
	}
	return job
}

// tcEndpoint fills the secret-bearing fields with recognizable values that
// tests search for in everything the exporter outputs.
func tcEndpoint(region, role, id string, i int) *TCEndpoint {
	return &TCEndpoint{
		Region:       region,
		InstanceId:   fmt.Sprintf("cdb-%s%02d", role, i%100),
		Ip:           fmt.Sprintf("10.0.%d.%d", i%250, map[string]int{"src": 11, "dst": 12}[role]),
		Port:         3306,
		User:         "dts_" + role,
		Password:     "SimPassw0rd-" + role + "-" + id,
		TmpSecretId:  "AKIDsimTmp" + id,
		TmpSecretKey: "SimTmpSecretKey-" + id,
		TmpToken:     "SimTmpToken-" + id,
	}
}

func notStartedSteps() []TCStep {
	steps := make([]TCStep, len(tcSteps))
	for k, st := range tcSteps {
		steps[k] = TCStep{StepNo: uint64(k + 1), StepId: st.id, StepName: st.name, Status: "notStarted", Progress: 0, Warnings: []TCStepTip{}}
	}
	return steps
}

// tcDetail builds SyncDetailInfo for a status at time now.
func tcDetail(status string, now, started time.Time, i int) *TCSyncDetail {
	d := &TCSyncDetail{StepAll: uint64(len(tcSteps)), ErrInfo: &TCErrInfo{}}
	elapsed := now.Sub(started).Seconds()
	switch status {
	case "UnInitialized":
		return nil
	case "Initialized", "Checking", "CheckPass", "CheckNotPass":
		d.StepAll, d.StepInfos = 0, nil
		if status == "CheckNotPass" {
			d.Message = "pre-check did not pass"
		}
	case "Resetting", "Unknown":
		d.StepAll, d.StepInfos = 0, []TCStep{}
	case "ReadyRunning":
		d.StepNow = 1
		d.StepInfos = notStartedSteps()
		d.StepInfos[0].Status, d.StepInfos[0].StartTime = "running", tcTime(now)
	case "Stopped", "Released":
		d.StepNow, d.Progress, d.CurrentStepProgress = uint64(len(tcSteps)), 100, 100
		d.StepInfos = notStartedSteps()
		for k := range d.StepInfos {
			d.StepInfos[k].Status, d.StepInfos[k].Progress = "finished", -1
			d.StepInfos[k].StartTime = tcTime(started.Add(time.Duration(k) * time.Minute))
		}
	case "Failed":
		// The full export failed.
		d.StepNow, d.Progress, d.CurrentStepProgress = 2, 30, 41
		d.StepInfos = notStartedSteps()
		d.StepInfos[0].Status, d.StepInfos[0].Progress = "finished", 100
		d.StepInfos[1].Status, d.StepInfos[1].Progress = "failed", 41
		d.StepInfos[1].Errors = []TCStepTip{{Code: "DTS-10302", Message: "connect to source database timed out", Solution: "check the network between DTS and the source"}}
		d.ErrInfo = &TCErrInfo{Reason: "source unreachable", Message: "connect to source database timed out", Solution: "check the network between DTS and the source"}
	default:
		// Running and the states that pass through the running timeline:
		// ResumableErr (failed in incremental sync), Paused/Pausing
		// (incremental sync held), Stopping and Resuming.
		runningTimeline(d, now, started, elapsed, i)
		if d.StepNow < uint64(len(tcSteps)) {
			break
		}
		sinker := &d.StepInfos[len(tcSteps)-1]
		switch status {
		case "Paused":
			// A paused job falls behind for as long as it is paused.
			sinker.Status = "paused"
			d.SecondsBehindMaster = 60 + int64(math.Mod(elapsed, 3600))
			d.MasterSlaveDistance = d.SecondsBehindMaster / 30
		case "ResumableErr":
			sinker.Status = "failed"
			sinker.Errors = []TCStepTip{{Code: "DTS-30118", Message: "write to target failed: duplicate entry", Solution: "resolve the conflict and resume the job"}}
			d.ErrInfo = &TCErrInfo{Reason: "target write conflict", Message: "write to target failed: duplicate entry", Solution: "resolve the conflict and resume the job"}
			d.SecondsBehindMaster = 300 + int64(math.Mod(elapsed, 3600))
			d.MasterSlaveDistance = d.SecondsBehindMaster / 20
		case "Stopping":
			d.SecondsBehindMaster, d.MasterSlaveDistance = 0, 0
		}
	}
	return d
}

// runningTimeline places a running job on the step timeline: full load first,
// with progress, then incremental sync with -1 progress and a moving delay.
func runningTimeline(d *TCSyncDetail, now, started time.Time, elapsed float64, i int) {
	d.StepInfos = notStartedSteps()
	var full float64
	for _, st := range tcSteps {
		full += st.seconds
	}
	at := started
	left := elapsed
	for k, st := range tcSteps {
		step := &d.StepInfos[k]
		d.StepNow = uint64(k + 1)
		step.StartTime = tcTime(at)
		if st.seconds == 0 || left < st.seconds {
			step.Status = "running"
			if st.seconds == 0 { // incremental sync has no progress
				step.Progress, d.CurrentStepProgress = -1, -1
			} else {
				step.Progress = int64(100 * left / st.seconds)
				d.CurrentStepProgress = step.Progress
			}
			break
		}
		step.Status, step.Progress = "finished", 100
		step.FinishTime = tcTime(at.Add(time.Duration(st.seconds * float64(time.Second))))
		at = at.Add(time.Duration(st.seconds * float64(time.Second)))
		left -= st.seconds
	}
	if elapsed < full {
		d.Progress = int64(100 * elapsed / full)
		return
	}
	d.Progress = -1
	inc := elapsed - full
	if i%6 == 4 {
		// A lagging job: its delay keeps growing.
		d.SecondsBehindMaster = 30 + int64(inc/2)
		d.MasterSlaveDistance = d.SecondsBehindMaster / 10
	} else {
		d.SecondsBehindMaster = int64(2 + 2*math.Sin(float64(now.Unix())/60+float64(i)))
		d.MasterSlaveDistance = 0
	}
}
