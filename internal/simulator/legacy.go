package simulator

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The 2018-03-30 sync API. It answers only in the regions the scenario
// gives legacy jobs; elsewhere it is ActionOffline, as for accounts that
// never used the old product.

// tcLegacyPattern cycles through the integer statuses (3 Checking, 4
// CheckPass, 5 CheckNotPass, 7 Running, 8 ReadyComplete, 9 Success, 10
// Failed, 11 Stopping, 12 Completing, 23 Unknown, 1 Creating).
var tcLegacyPattern = []int64{7, 7, 4, 3, 5, 10, 8, 9, 1, 11, 12, 23}

var tcLegacySteps = []string{"全量导出", "全量导入", "增量同步"}

// tcLegacyCheckSteps are the check steps of the vendor example.
var tcLegacyCheckSteps = []string{"检查参数", "检查源实例", "检查目标实例", "检查实例状态", "检查实例规格",
	"检查实例版本", "检查目标实例是否为空", "检查是否开启加密", "检查实例同步的库表信息", "检查实例冷备数据"}

func (s *Server) tcLegacyAvailable(region string) bool {
	_, ok := s.opts.Scenario.TencentLegacySyncJobs[region]
	return ok
}

// TencentLegacySyncJobs returns the 2018-03-30 sync jobs of a region.
func (s *Server) TencentLegacySyncJobs(region string) []TCLegacySyncJob {
	sc := s.opts.Scenario
	n := sc.TencentLegacySyncJobs[region]
	now := s.clock()
	jobs := make([]TCLegacySyncJob, 0, n)
	for i := range n {
		status := tcLegacyPattern[i%len(tcLegacyPattern)]
		if status == 3 && checkPosition(sc.Epoch, now, i) >= checkSeconds {
			status = 4
			if i%3 == 0 {
				status = 5
			}
		}
		link := tcLinks[i%len(tcLinks)]
		job := TCLegacySyncJob{
			JobId:           jobID("sync-", "legacy/"+region, i),
			JobName:         fmt.Sprintf("dr-%s-%d", tcNames[(i+5)%len(tcNames)], i),
			SyncOption:      TCLegacySyncOption{SyncObject: 1, RunMode: 1, SyncType: 1, ConsistencyType: 1},
			SrcAccessType:   "cdb",
			SrcDatabaseType: link[0],
			SrcInfo:         TCLegacyInstance{Region: region, InstanceId: fmt.Sprintf("cdb-l%02d", i)},
			DstAccessType:   "cdb",
			DstDatabaseType: link[0],
			DstInfo:         TCLegacyInstance{Region: region, InstanceId: fmt.Sprintf("cdb-r%02d", i)},
			Status:          status,
			CreateTime:      tcTime(sc.Epoch.Add(-time.Duration(n-i) * 24 * time.Hour)),
			StartTime:       tcTime(sc.Epoch.Add(-time.Duration(n-i) * 23 * time.Hour)),
			EndTime:         tcZero,
		}
		d := &TCLegacySyncDetail{StepAll: int64(len(tcLegacySteps)), Progress: "0", CurrentStepProgress: "0"}
		for k, name := range tcLegacySteps {
			d.StepInfo = append(d.StepInfo, TCLegacySyncStep{StepNo: uint64(k + 1), StepName: name, CanStop: int64(k / 2), StepId: int64(k + 1)})
		}
		switch status {
		case 7, 8, 12:
			d.StepNow, d.Progress, d.CurrentStepProgress = 3, "100", ""
			d.SecondsBehindMaster = int64(1 + 3*math.Abs(math.Sin(float64(now.Unix())/30+float64(i))))
			if i%6 == 4 {
				d.SecondsBehindMaster = 90 + int64(math.Max(0, now.Sub(sc.Epoch).Seconds())/2)
			}
			d.MasterSlaveDistance = d.SecondsBehindMaster / 20
		case 9, 11:
			d.StepNow, d.Progress, d.CurrentStepProgress = 3, "100", "100"
		case 10:
			d.StepNow, d.Progress, d.CurrentStepProgress = 2, "45", "70"
		case 1:
			d.Progress, d.CurrentStepProgress = "", ""
		}
		job.Detail = d
		jobs = append(jobs, job)
	}
	return jobs
}

type tcLegacyDescribeSyncJobsRequest struct {
	JobId    *string
	JobName  *string
	Order    *string
	OrderSeq *string
	Offset   *int64
	Limit    *int64
}

func (s *Server) tcLegacyDescribeSyncJobs(w http.ResponseWriter, region string, body []byte) {
	var req tcLegacyDescribeSyncJobsRequest
	if !tcDecode(w, body, &req) {
		return
	}
	limit, offset, ok := tcPaging(w, req.Limit, req.Offset)
	if !ok {
		return
	}
	jobs := slices.DeleteFunc(s.TencentLegacySyncJobs(region), func(j TCLegacySyncJob) bool {
		return req.JobId != nil && *req.JobId != "" && j.JobId != *req.JobId
	})
	desc := req.OrderSeq == nil || !strings.EqualFold(*req.OrderSeq, "ASC")
	slices.SortStableFunc(jobs, func(a, b TCLegacySyncJob) int {
		c := strings.Compare(a.CreateTime, b.CreateTime)
		if desc {
			return -c
		}
		return c
	})
	tcWrite(w, map[string]any{"TotalCount": len(jobs), "JobList": tcPage(jobs, limit, offset), "RequestId": requestID()})
}

func (s *Server) tcLegacyDescribeSyncCheckJob(w http.ResponseWriter, region string, body []byte) {
	id, ok := tcJobID(w, body)
	if !ok {
		return
	}
	jobs := s.TencentLegacySyncJobs(region)
	i := slices.IndexFunc(jobs, func(j TCLegacySyncJob) bool { return j.JobId == id })
	if i < 0 {
		tcWriteError(w, tcError{"ResourceNotFound.JobNotExist", fmt.Sprintf("the job %s does not exist", id)})
		return
	}
	tcWrite(w, struct {
		TCLegacySyncCheck
		RequestId string
	}{s.legacyCheck(jobs[i].Status, i), requestID()})
}

// legacyCheck is the DescribeSyncCheckJob of legacy job i.
func (s *Server) legacyCheck(status int64, i int) TCLegacySyncCheck {
	if status == 1 {
		return TCLegacySyncCheck{Status: "starting", StepInfo: []TCLegacySyncCheckStep{}}
	}
	r := TCLegacySyncCheck{Status: "finished", CheckFlag: 1, ErrorMessage: "灾备检查成功"}
	done := len(tcLegacyCheckSteps)
	if status == 3 {
		pos := checkPosition(s.opts.Scenario.Epoch, s.clock(), i)
		done = int(pos / checkSeconds * float64(len(tcLegacyCheckSteps)))
		r = TCLegacySyncCheck{Status: "running", ErrorMessage: ""}
	}
	for k, name := range tcLegacyCheckSteps[:done] {
		step := TCLegacySyncCheckStep{StepNo: uint64(k + 1), StepName: name, StepMessage: "校验成功"}
		if status == 5 && k == 6 {
			step.StepCode, step.StepMessage = 1, "目标实例不为空"
		}
		r.StepInfo = append(r.StepInfo, step)
	}
	if status == 5 {
		r.CheckFlag, r.ErrorCode, r.ErrorMessage = 0, -1, "灾备检查失败"
	}
	return r
}
