package simulator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// AliSyncJob is one direction of a synchronization job as
// DescribeSynchronizationJobStatus answers it (and, trimmed, as
// DescribeSynchronizationJobs lists it). Figures are strings where the API
// sends strings.
type AliSyncJob struct {
	SynchronizationJobId          string
	SynchronizationJobName        string
	SynchronizationJobClass       string
	SynchronizationDirection      string
	Status                        string
	Delay                         string
	DelayMillis                   *int64 `json:",omitempty"`
	Checkpoint                    string `json:",omitempty"`
	Performance                   AliPerformance
	DataInitialization            string
	StructureInitialization       string
	StructureInitializationStatus AliStage
	DataInitializationStatus      AliStage
	DataSynchronizationStatus     *AliStage `json:",omitempty"`
	PrecheckStatus                AliPrecheck
	ErrorMessage                  string
	SourceEndpoint                AliEndpoint
	DestinationEndpoint           AliEndpoint
	PayType                       string
	// Reserved carries job parameters, secrets among them: the exporter
	// must never show it.
	Reserved string
}

// AliPerformance is Performance in the Synchronization* APIs.
type AliPerformance struct {
	RPS  string
	FLOW string
}

// AliStage is the status of one stage of a job.
type AliStage struct {
	Status       string
	Percent      string
	Progress     string `json:",omitempty"`
	Delay        string `json:",omitempty"`
	DelayMillis  *int64 `json:",omitempty"`
	Checkpoint   string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`
}

// AliPrecheck is PrecheckStatus in the Synchronization* APIs.
type AliPrecheck struct {
	Status  string
	Percent string
	Detail  []AliPrecheckItem
}

// AliPrecheckItem is one pre-check item.
type AliPrecheckItem struct {
	ItemName     string
	CheckStatus  string
	ErrorMessage string `json:",omitempty"`
	RepairMethod string `json:",omitempty"`
}

// AliEndpoint is a source or destination; the simulator adds a Password the
// real API does not send, so that tests prove the exporter ignores it.
type AliEndpoint struct {
	EngineName   string
	InstanceId   string
	InstanceType string
	IP           string
	Port         string
	UserName     string
	Password     string
	Region       string `json:",omitempty"`
}

// AliDtsJob is an item of DescribeDtsJobs: numbers where that API sends
// numbers, Success a bool, Performance keys Rps/Flow.
type AliDtsJob struct {
	DtsJobId                      string
	DtsInstanceID                 string
	DtsJobName                    string
	DtsJobClass                   string
	DtsJobDirection               string
	JobType                       string
	Status                        string
	Delay                         int64
	Checkpoint                    string
	Performance                   struct{ Rps, Flow string }
	MigrationMode                 struct{ StructureInitialization, DataInitialization, DataSynchronization bool }
	StructureInitializationStatus AliStage
	DataInitializationStatus      AliStage
	DataSynchronizationStatus     AliStage
	PrecheckStatus                struct {
		Status  string
		Percent string
		Detail  []AliDtsCheckItem
	}
	SourceEndpoint      AliEndpoint
	DestinationEndpoint AliEndpoint
	ReverseJob          *AliDtsJob `json:",omitempty"`
	DbObject            string     `json:",omitempty"`
	Reserved            string
	PayType             string
}

// AliDtsCheckItem is one pre-check item in DescribeDtsJobs.
type AliDtsCheckItem struct {
	CheckItem            string
	CheckItemDescription string
	CheckResult          string
	FailedReason         string `json:",omitempty"`
}

// aliSyncPattern assigns statuses to synchronization jobs in turn: every
// documented status, in the two spellings the API and its documentation use
// (Synchronizing/synchronizing, Initializing/initializating).
var aliSyncPattern = []string{
	"Synchronizing", "synchronizing", "Suspending", "Failed", "Synchronizing", "PrecheckFailed",
	"Prechecking", "initializating", "Synchronizing", "Finished", "NotStarted", "InitializeFailed",
	"Modifying", "Initializing",
}

var aliMigrationPattern = []string{
	"Migrating", "Migrating", "Suspending", "MigrationFailed", "Finished", "PrecheckFailed",
	"Prechecking", "PreCheckPass", "NotStarted", "Retrying", "Locked", "NotConfigured",
}

var aliEngines = [][2]string{{"MySQL", "MySQL"}, {"PolarDB", "MySQL"}, {"MySQL", "Kafka"}, {"PostgreSQL", "PostgreSQL"}, {"Redis", "Redis"}}

var aliPrecheckItems = []string{
	"CHECK_CONN_SRC", "CHECK_AUTH_SRC", "CHECK_CONN_DEST", "CHECK_AUTH_DEST", "CHECK_BINLOG_ON",
	"CHECK_BINLOG_MODE", "CHECK_SERVER_ID", "CHECK_SAME_OBJ",
}

// aliInitSeconds is how long a simulated full data load takes.
const aliInitSeconds = 600

// aliFigures are the moving figures of a job direction at time now.
type aliFigures struct {
	delayMillis    int64
	rps, flowMB    float64
	checkpoint     int64
	initPercent    int
	structPercent  int
	precheckPct    int
	precheckFailed bool
}

func aliMove(epoch, now time.Time, phase string, i int) aliFigures {
	elapsed := now.Sub(epoch).Seconds() + float64(i*37)
	f := aliFigures{structPercent: 100, initPercent: 100, precheckPct: 100}
	switch phase {
	case "running", "paused":
		if i%6 == 4 && phase == "running" {
			// A lagging job: its delay keeps growing.
			f.delayMillis = int64(30_000 + 500*math.Mod(elapsed, 7200))
		} else {
			f.delayMillis = int64(800 + 700*math.Sin(float64(now.Unix())/60+float64(i)))
		}
		if phase == "paused" {
			f.delayMillis = int64(60_000 + 1000*math.Mod(elapsed, 3600))
			break
		}
		f.rps = math.Round(100*(150+120*math.Sin(float64(now.Unix())/90+float64(i)))) / 100
		f.flowMB = math.Round(100*f.rps/120) / 100
	case "initializing":
		f.initPercent = int(math.Mod(elapsed, aliInitSeconds) * 100 / aliInitSeconds)
		f.rps = 2000 + float64(i*10)
		f.flowMB = 12.5
	case "checking":
		f.precheckPct = int(math.Mod(elapsed, 100))
	}
	f.checkpoint = now.Unix() - f.delayMillis/1000
	return f
}

// aliPhase is the lifecycle class of a simulated status.
func aliPhase(status string) string {
	switch strings.ToLower(status) {
	case "synchronizing", "migrating", "modifying", "retrying":
		return "running"
	case "suspending", "locked":
		return "paused"
	case "initializing", "initializating":
		return "initializing"
	case "prechecking":
		return "checking"
	case "precheckfailed":
		return "check_failed"
	case "failed", "initializefailed", "migrationfailed":
		return "failed"
	case "finished":
		return "finished"
	}
	return "pending"
}

func aliEndpointOf(region, role, id string, i int, engine string) AliEndpoint {
	return AliEndpoint{
		EngineName: engine, InstanceId: fmt.Sprintf("rm-%s%02d%s", role, i%100, strings.ToLower(id[len(id)-4:])),
		InstanceType: "RDS", IP: fmt.Sprintf("172.16.%d.%d", i%250, map[string]int{"src": 11, "dst": 12}[role]),
		Port: "3306", UserName: "dts_" + role, Password: "SimAliPassw0rd-" + role + "-" + id, Region: region,
	}
}

// AlibabaSyncJobs returns the synchronization jobs of a region, one entry per
// direction (two-way jobs have a Forward and a Reverse entry), as
// DescribeSynchronizationJobStatus would answer them now.
func (s *Server) AlibabaSyncJobs(region string) []AliSyncJob {
	sc := s.opts.Scenario
	n := sc.AlibabaSyncJobs[region]
	now := s.clock()
	var jobs []AliSyncJob
	for i := range n {
		id := jobID("dts", "ali/"+region, i)
		status := aliSyncPattern[i%len(aliSyncPattern)]
		if sc.AlibabaSyncStatus != nil {
			status = sc.AlibabaSyncStatus(region, i)
		}
		dirs := []string{"Forward"}
		if i%7 == 3 {
			dirs = append(dirs, "Reverse")
		}
		for d, dir := range dirs {
			jobs = append(jobs, aliSyncJob(sc.Epoch, now, region, id, status, dir, i+d*3))
		}
	}
	return jobs
}

func aliSyncJob(epoch, now time.Time, region, id, status, dir string, i int) AliSyncJob {
	phase := aliPhase(status)
	fig := aliMove(epoch, now, phase, i)
	eng := aliEngines[i%len(aliEngines)]
	src, dst := aliEndpointOf(region, "src", id, i, eng[0]), aliEndpointOf(region, "dst", id, i, eng[1])
	src.Region, dst.Region = "", "" // this API has no endpoint region
	if dir == "Reverse" {
		src, dst = dst, src
	}
	job := AliSyncJob{
		SynchronizationJobId:     id,
		SynchronizationJobName:   fmt.Sprintf("%s-%d", tcNames[i%len(tcNames)], i),
		SynchronizationJobClass:  []string{"micro", "small", "medium", "large"}[i%4],
		SynchronizationDirection: dir,
		Status:                   status,
		DataInitialization:       "true",
		StructureInitialization:  strconv.FormatBool(i%5 != 2),
		SourceEndpoint:           src,
		DestinationEndpoint:      dst,
		PayType:                  []string{"PostPaid", "PrePaid"}[i%2],
		Reserved:                 `{"srcPassword":"SimAliPassw0rd-reserved-` + id + `","autoStartModulesAfterConfig":"none"}`,
		PrecheckStatus:           AliPrecheck{Status: "Finished", Percent: "100"},
	}
	for k, item := range aliPrecheckItems {
		job.PrecheckStatus.Detail = append(job.PrecheckStatus.Detail, AliPrecheckItem{ItemName: item, CheckStatus: "Success"})
		if phase == "check_failed" && k == 4 {
			job.PrecheckStatus.Status = "Failed"
			job.PrecheckStatus.Detail[k].CheckStatus = "Failed"
			job.PrecheckStatus.Detail[k].ErrorMessage = "binlog is not enabled on the source"
			job.PrecheckStatus.Detail[k].RepairMethod = "set log_bin=ON and restart"
		}
	}
	done := AliStage{Status: "Finished", Percent: "100", Progress: strconv.Itoa(1000 * (i + 1))}
	job.StructureInitializationStatus, job.DataInitializationStatus = done, done
	if job.StructureInitialization == "false" {
		job.StructureInitializationStatus = AliStage{Status: "NotStarted", Percent: "0"}
	}
	notStarted := AliStage{Status: "NotStarted", Percent: "0", Progress: "0"}
	delay := fig.delayMillis
	sync := &AliStage{Status: "Migrating", Percent: "95", Delay: strconv.FormatInt(delay/1000, 10), DelayMillis: &delay,
		Checkpoint: strconv.FormatInt(fig.checkpoint, 10)}
	switch phase {
	case "pending", "checking", "check_failed":
		job.StructureInitializationStatus, job.DataInitializationStatus = notStarted, notStarted
		sync = &AliStage{Status: "NotStarted", Percent: "0"}
		job.Delay, job.Performance = "", AliPerformance{}
		if phase == "checking" {
			job.PrecheckStatus.Status, job.PrecheckStatus.Percent = "Prechecking", strconv.Itoa(fig.precheckPct)
			job.PrecheckStatus.Detail = job.PrecheckStatus.Detail[:len(aliPrecheckItems)*fig.precheckPct/100]
		}
		if phase == "pending" {
			job.PrecheckStatus = AliPrecheck{Status: "NotStarted", Percent: "0", Detail: []AliPrecheckItem{}}
		}
		return withSync(job, sync)
	case "initializing":
		job.DataInitializationStatus = AliStage{Status: "Migrating", Percent: strconv.Itoa(fig.initPercent),
			Progress: strconv.Itoa(fig.initPercent * 5000)}
		sync = &AliStage{Status: "NotStarted", Percent: "0"}
		job.Delay = "0"
	case "failed":
		if strings.EqualFold(status, "InitializeFailed") {
			job.DataInitializationStatus = AliStage{Status: "Failed", Percent: "41", ErrorMessage: "DTS-1020042: connect to source database timed out"}
			sync = &AliStage{Status: "NotStarted", Percent: "0"}
		} else {
			sync = &AliStage{Status: "Failed", Percent: "95", ErrorMessage: "DTS-070211: Connect Source DB failed"}
		}
		job.ErrorMessage = "DTS-070211: Connect Source DB failed. cause by [java.net.SocketTimeoutException]"
	case "paused":
		sync.Status = "Suspending"
	case "finished":
		sync = &AliStage{Status: "Finished", Percent: "100"}
	}
	if phase == "running" || phase == "paused" || phase == "initializing" {
		job.Delay = strconv.FormatInt(delay/1000, 10)
		job.DelayMillis = &delay
		job.Checkpoint = strconv.FormatInt(fig.checkpoint, 10)
	}
	// FLOW comes both as a bare MB/s figure and with its unit.
	job.Performance = AliPerformance{RPS: strconv.FormatFloat(fig.rps, 'f', -1, 64), FLOW: strconv.FormatFloat(fig.flowMB, 'f', -1, 64)}
	if i%2 == 1 {
		job.Performance.FLOW = fmt.Sprintf("%.2fMB/s", fig.flowMB)
	}
	return withSync(job, sync)
}

func withSync(job AliSyncJob, sync *AliStage) AliSyncJob {
	job.DataSynchronizationStatus = sync
	return job
}

// AlibabaDtsSyncJobs returns the synchronization jobs as DescribeDtsJobs
// (JobType SYNC) lists them: one item per job, a two-way job's reverse
// direction in ReverseJob, and the API's own task ids.
func (s *Server) AlibabaDtsSyncJobs(region string) []AliDtsJob {
	var out []AliDtsJob
	byID := map[string]int{}
	for _, sj := range s.AlibabaSyncJobs(region) {
		dj := aliDtsFromSync(sj)
		if k, ok := byID[sj.SynchronizationJobId]; ok {
			out[k].ReverseJob = &dj
			continue
		}
		byID[sj.SynchronizationJobId] = len(out)
		out = append(out, dj)
	}
	return out
}

func aliDtsFromSync(sj AliSyncJob) AliDtsJob {
	core := strings.TrimPrefix(sj.SynchronizationJobId, "dts")
	dj := AliDtsJob{
		DtsJobId: "j" + core, DtsInstanceID: "dtsj" + core, DtsJobName: sj.SynchronizationJobName,
		DtsJobClass: sj.SynchronizationJobClass, DtsJobDirection: sj.SynchronizationDirection, JobType: "SYNC",
		Status: sj.Status, Checkpoint: sj.Checkpoint, Reserved: sj.Reserved, PayType: sj.PayType,
		StructureInitializationStatus: sj.StructureInitializationStatus, DataInitializationStatus: sj.DataInitializationStatus,
		SourceEndpoint: sj.SourceEndpoint, DestinationEndpoint: sj.DestinationEndpoint,
	}
	if sj.DelayMillis != nil {
		dj.Delay = *sj.DelayMillis / 1000
	}
	dj.Performance.Rps, dj.Performance.Flow = sj.Performance.RPS, sj.Performance.FLOW
	dj.MigrationMode.StructureInitialization = sj.StructureInitialization == "true"
	dj.MigrationMode.DataInitialization = sj.DataInitialization == "true"
	dj.MigrationMode.DataSynchronization = true
	if sj.DataSynchronizationStatus != nil {
		dj.DataSynchronizationStatus = AliStage{Status: sj.DataSynchronizationStatus.Status, Percent: sj.DataSynchronizationStatus.Percent}
	}
	if dj.DataSynchronizationStatus.Status == "Migrating" && dj.Delay == 0 {
		dj.DataSynchronizationStatus.Status = "Catched" // caught up
	}
	dj.PrecheckStatus.Status, dj.PrecheckStatus.Percent = sj.PrecheckStatus.Status, sj.PrecheckStatus.Percent
	for _, d := range sj.PrecheckStatus.Detail {
		dj.PrecheckStatus.Detail = append(dj.PrecheckStatus.Detail, AliDtsCheckItem{
			CheckItem: d.ItemName, CheckItemDescription: strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(d.ItemName, "CHECK_"), "_", " ")),
			CheckResult: d.CheckStatus, FailedReason: d.ErrorMessage,
		})
	}
	return dj
}

// AlibabaMigrationJobs returns the migration jobs of a region as
// DescribeDtsJobs (JobType MIGRATION) lists them.
func (s *Server) AlibabaMigrationJobs(region string) []AliDtsJob {
	sc := s.opts.Scenario
	now := s.clock()
	var jobs []AliDtsJob
	for i := range sc.AlibabaMigrationJobs[region] {
		id := jobID("dtsm", "ali-mig/"+region, i)
		status := aliMigrationPattern[i%len(aliMigrationPattern)]
		// Build the job as a one-way sync job in the same phase, then
		// relabel it: the stages and figures are alike.
		syncStatus := map[string]string{
			"migrating": "Synchronizing", "retrying": "Synchronizing", "suspending": "Suspending", "locked": "Suspending",
			"migrationfailed": "Failed", "finished": "Finished", "precheckfailed": "PrecheckFailed",
			"prechecking": "Prechecking",
		}[strings.ToLower(status)]
		if syncStatus == "" {
			syncStatus = "NotStarted"
		}
		dj := aliDtsFromSync(aliSyncJob(sc.Epoch, now, region, id, syncStatus, "Forward", i))
		dj.JobType, dj.Status = "MIGRATION", status
		dj.MigrationMode.DataSynchronization = i%3 != 1 // some are full migrations only
		if !dj.MigrationMode.DataSynchronization {
			dj.DataSynchronizationStatus = AliStage{Status: "NotStarted", Percent: "0"}
			dj.Delay, dj.Performance.Rps, dj.Performance.Flow, dj.Checkpoint = 0, "", "", ""
		}
		jobs = append(jobs, dj)
	}
	return jobs
}
