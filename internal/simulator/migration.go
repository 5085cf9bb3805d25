package simulator

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// tcMigrationPattern holds every migration JobItem.Status of API 2021-12-06.
var tcMigrationPattern = []string{
	"running", "readyComplete", "failed", "checkNotPass", "checking", "checkPass", "readyComplete",
	"created", "creating", "readyRun", "success", "stopping", "completing", "pausing",
	"manualPaused", "resumableErr", "resuming", "unknown", "error", "canceled",
}

var tcMigrateSteps = []struct {
	id, name string
	seconds  float64
}{
	{"dumper", "全量导出", 60},
	{"loader", "全量导入", 120},
	{"sinker", "增量同步", 0},
}

// regionIndex is the position of region among the keys of m, sorted.
func regionIndex(m map[string]int, region string) int {
	regions := make([]string, 0, len(m))
	for r := range m {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	return slices.Index(regions, region)
}

// TencentMigrationJobs returns the migration jobs of a region as the API
// would answer them now, oldest first.
func (s *Server) TencentMigrationJobs(region string) []TCMigrationJob {
	sc := s.opts.Scenario
	n := sc.TencentMigrationJobs[region]
	ri := regionIndex(sc.TencentMigrationJobs, region)
	now := s.clock()
	jobs := make([]TCMigrationJob, 0, n)
	for i := range n {
		id := jobID("dts-", "migration/"+region, i)
		status := tcMigrationPattern[(i+5*ri)%len(tcMigrationPattern)]
		if status == "checking" && checkPosition(sc.Epoch, now, i) >= checkSeconds {
			status = "checkPass"
			if i%3 == 0 {
				status = "checkNotPass"
			}
		}
		jobs = append(jobs, tcMigrationJob(sc.Epoch, now, region, status, i, n, id))
	}
	return jobs
}

func tcMigrationJob(epoch, now time.Time, region, status string, i, n int, id string) TCMigrationJob {
	link := tcLinks[i%len(tcLinks)]
	created := epoch.Add(-time.Duration(n-i) * 5 * time.Hour)
	started := epoch.Add(-time.Duration((i*211)%1200) * time.Second)
	name := fmt.Sprintf("migrate-%s-%d", tcNames[(i+3)%len(tcNames)], i)
	job := TCMigrationJob{
		JobId:         &id,
		JobName:       &name,
		CreateTime:    tcTime(created),
		UpdateTime:    tcTime(now),
		StartTime:     tcTime(started),
		EndTime:       tcZero,
		Status:        status,
		RunMode:       "immediate",
		ExpectRunTime: tcZero,
		Action:        &TCMigrateAction{AllAction: []string{"check", "start", "stop", "complete", "pause", "resume"}, AllowedAction: []string{}},
		SrcInfo:       tcDBEndpoint(region, link[0], "src", id, i),
		DstInfo:       tcDBEndpoint(region, link[1], "dst", id, i),
		CompareTask:   &TCCompareTaskInfo{Status: "notexist"},
		TradeInfo: &TCTradeInfo{DealName: "2026" + id, InstanceClass: []string{"micro", "small", "medium"}[i%3],
			TradeStatus: "normal", ExpireTime: tcZero, OfflineTime: tcZero, IsolateTime: tcZero, PayType: "postpay", BillingType: "billing"},
		Tags:             []TCTag{},
		DumperResumeCtrl: "yes",
	}
	if slices.Contains([]string{"creating", "created", "checking", "checkPass", "checkNotPass"}, status) {
		job.StartTime = ""
	}
	switch status {
	case "success", "canceled", "stopping":
		job.EndTime = tcTime(epoch.Add(-time.Duration(i) * time.Minute))
	case "failed", "error":
		job.BriefMsg = "full import failed: target disk is full"
	case "resumableErr":
		job.BriefMsg = "incremental sync interrupted: source binlog purged"
	}
	job.StepInfo = tcMigrateDetail(status, now, started, i)
	return job
}

// tcDBEndpoint fills the secret-bearing DBInfo fields with recognizable
// values that tests search for.
func tcDBEndpoint(region, dbType, role, id string, i int) *TCDBEndpointInfo {
	return &TCDBEndpointInfo{
		Region: region, AccessType: "cdb", DatabaseType: dbType, NodeType: "simple", Supplier: "tencent", ExtraAttr: []any{},
		Info: []TCDBInfo{{
			Role: role, Host: fmt.Sprintf("10.1.%d.%d", i%250, map[string]int{"src": 11, "dst": 12}[role]), Port: 3306,
			User: "dts_" + role, Password: "SimPassw0rd-" + role + "-" + id, InstanceId: fmt.Sprintf("cdb-m%s%02d", role, i%100),
			TmpSecretId: "AKIDsimTmp" + id, TmpSecretKey: "SimTmpSecretKey-" + id, TmpToken: "SimTmpToken-" + id,
		}},
	}
}

// tcMigrateDetail builds MigrateDetailInfo. Lag figures are -1 outside the
// incremental stage, as documented.
func tcMigrateDetail(status string, now, started time.Time, i int) *TCMigrateDetail {
	if status == "unknown" {
		return nil
	}
	d := &TCMigrateDetail{StepAll: uint64(len(tcMigrateSteps)), MasterSlaveDistance: -1, SecondsBehindMaster: -1}
	done := []string{"finished", "success"}[i%2] // the examples say finished, the docs success
	for k, st := range tcMigrateSteps {
		d.StepInfo = append(d.StepInfo, TCMigrateStep{StepNo: uint64(k + 1), StepId: st.id, StepName: st.name, Status: "notStarted",
			Errors: []TCProcessStepTip{}, Warnings: []TCProcessStepTip{}})
	}
	startAt := func(k int) { t := tcTime(started.Add(time.Duration(k) * time.Minute)); d.StepInfo[k].StartTime = &t }
	finish := func(upTo int) {
		for k := range upTo {
			startAt(k)
			d.StepInfo[k].Status, d.StepInfo[k].Percent = done, 100
		}
	}
	elapsed := math.Max(0, now.Sub(started).Seconds())
	switch status {
	case "creating", "created", "checking", "checkPass", "checkNotPass":
	case "readyRun":
		d.StepNow = 1
		startAt(0)
		d.StepInfo[0].Status = "running"
	case "running":
		// Full load, cycling so that a demo shows progress moving.
		pos := math.Mod(elapsed, 180)
		k, left := 0, pos
		if left >= tcMigrateSteps[0].seconds {
			k, left = 1, left-tcMigrateSteps[0].seconds
		}
		finish(k)
		startAt(k)
		d.StepNow = uint64(k + 1)
		d.StepInfo[k].Status, d.StepInfo[k].Percent = "running", uint64(100*left/tcMigrateSteps[k].seconds)
	case "success", "canceled":
		finish(len(tcMigrateSteps))
		d.StepNow = uint64(len(tcMigrateSteps))
	case "failed", "error":
		finish(1)
		startAt(1)
		d.StepNow = 2
		d.StepInfo[1].Status, d.StepInfo[1].Percent = "failed", 63
		d.StepInfo[1].Errors = []TCProcessStepTip{{Message: "target disk is full", Solution: "scale up the target instance's storage"}}
	default:
		// The incremental stage: readyComplete, completing, pausing,
		// manualPaused, resumableErr, resuming, stopping.
		finish(2)
		startAt(2)
		d.StepNow = 3
		sinker := &d.StepInfo[2]
		sinker.Status = "running"
		switch {
		case status == "resumableErr":
			sinker.Status = "failed"
			sinker.Errors = []TCProcessStepTip{{Message: "source binlog purged", Solution: "keep binlogs longer and resume"}}
			d.SecondsBehindMaster = 600 + int64(math.Mod(elapsed, 3600))
		case strings.Contains(strings.ToLower(status), "paus"):
			d.SecondsBehindMaster = 120 + int64(math.Mod(elapsed, 3600))
		case i%6 == 4:
			d.SecondsBehindMaster = 45 + int64(elapsed/3)
		default:
			d.SecondsBehindMaster = int64(1 + 2*math.Abs(math.Sin(float64(now.Unix())/45+float64(i))))
		}
		d.MasterSlaveDistance = d.SecondsBehindMaster / 15
	}
	return d
}

// tcDescribeMigrationJobsRequest holds every documented request field.
type tcDescribeMigrationJobsRequest struct {
	JobId           *string
	JobName         *string
	Status          []string
	SrcInstanceId   *string
	SrcRegion       *string
	SrcDatabaseType []string
	SrcAccessType   []string
	DstInstanceId   *string
	DstRegion       *string
	DstDatabaseType []string
	DstAccessType   []string
	RunMode         *string
	OrderSeq        *string
	Limit           *int64
	Offset          *int64
	TagFilters      []any
}

func (s *Server) tcDescribeMigrationJobs(w http.ResponseWriter, region string, body []byte) {
	var req tcDescribeMigrationJobsRequest
	if !tcDecode(w, body, &req) {
		return
	}
	limit, offset, ok := tcPaging(w, req.Limit, req.Offset)
	if !ok {
		return
	}
	if req.OrderSeq != nil && *req.OrderSeq != "asc" && *req.OrderSeq != "desc" {
		tcWriteError(w, tcError{"InvalidParameterValue.InvalidParameterValueError", "OrderSeq must be asc or desc"})
		return
	}
	jobs := slices.DeleteFunc(s.TencentMigrationJobs(region), func(j TCMigrationJob) bool {
		return (req.JobId != nil && *req.JobId != "" && *j.JobId != *req.JobId) ||
			(len(req.Status) > 0 && !slices.Contains(req.Status, j.Status))
	})
	desc := req.OrderSeq == nil || *req.OrderSeq == "desc" // default: create time, newest first
	slices.SortStableFunc(jobs, func(a, b TCMigrationJob) int {
		c := strings.Compare(a.CreateTime, b.CreateTime)
		if c == 0 {
			c = strings.Compare(*a.JobId, *b.JobId)
		}
		if desc {
			return -c
		}
		return c
	})
	tcWrite(w, map[string]any{"TotalCount": len(jobs), "JobList": tcPage(jobs, limit, offset), "RequestId": requestID()})
}
