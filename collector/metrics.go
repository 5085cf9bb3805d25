// Package collector is the Prometheus side of the exporter: it collects every
// target on each scrape and turns the neutral dts.Job model into metrics.
package collector

import "github.com/prometheus/client_golang/prometheus"

// This file owns every metric name and help string the exporter serves.

const namespace = "dts"

var (
	targetLabels = []string{"provider", "account", "region"}
	// direction is "forward" or "reverse" on the two directions of a two-way
	// job and empty (absent) otherwise: a Desc's label names are fixed.
	identityLabels = []string{"provider", "account", "region", "kind", "job_id", "direction"}
)

func withLabels(base []string, extra ...string) []string {
	return append(append([]string(nil), base...), extra...)
}

func newDesc(name, help string, labels []string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, labels, nil)
}

// Per-scrape descriptors: their samples are built fresh on every scrape.
var (
	upDesc = newDesc("up",
		"1 if the last collection of the target (account and region) succeeded for every API family, 0 otherwise.",
		targetLabels)
	jobsDesc = newDesc("jobs",
		"Number of jobs of a kind the target reports; absent when the listing failed.",
		withLabels(targetLabels, "kind"))
	jobInfoDesc = newDesc("job_info",
		"Descriptive labels of a job; always 1.",
		withLabels(identityLabels, "job_name", "job_type", "src_db_type", "dst_db_type", "src_region", "dst_region"))
	jobStatusDesc = newDesc("job_status",
		"The job's raw status as the cloud API reports it; always 1.",
		withLabels(identityLabels, "status"))
	jobPhaseDesc = newDesc("job_phase",
		"Normalized phase of the job, one series per phase: 1 for the current phase, 0 for the others.",
		withLabels(identityLabels, "phase"))
	jobProgressDesc = newDesc("job_progress_ratio",
		"Overall progress of the job from 0 to 1; absent when the API reports none (e.g. -1 during incremental sync).",
		identityLabels)
	jobStepCurrentDesc = newDesc("job_step_current",
		"Number of the step the job is in (1-based; 0 before the first step).",
		identityLabels)
	jobStepsDesc = newDesc("job_steps",
		"Number of steps of the job.",
		identityLabels)
	jobStepStatusDesc = newDesc("job_step_status",
		"Status of each step of the job, one series per status: 1 for the current status, 0 for the others.",
		withLabels(identityLabels, "step_no", "step_id", "step_name", "status"))
	jobStepProgressDesc = newDesc("job_step_progress_ratio",
		"Progress of a step from 0 to 1; absent when the step reports none (-1).",
		withLabels(identityLabels, "step_no", "step_id"))
	jobDelayDesc = newDesc("job_delay_seconds",
		"How far the target database is behind the source, in seconds; absent when not applicable.",
		identityLabels)
	jobLagBytesDesc = newDesc("job_lag_bytes",
		"Data volume the target database is behind the source, in bytes (the API's MB taken as 2^20 bytes); absent when not applicable.",
		identityLabels)
	jobRecordsDesc = newDesc("job_records_per_second",
		"Records (rows or SQL statements, as the cloud counts them) the job applies per second; absent when the API reports none.",
		identityLabels)
	jobFlowDesc = newDesc("job_flow_bytes_per_second",
		"Data the job moves per second, in bytes (the API's MB taken as 2^20 bytes); absent when the API reports none.",
		identityLabels)
	jobCheckpointDesc = newDesc("job_checkpoint_timestamp_seconds",
		"Unix time of the last source record the job has applied; absent when the API reports none.",
		identityLabels)

	checkStatusDesc = newDesc("check_status",
		"Status of the job's last pre-check task, one series per status: 1 for the current status, 0 for the others.",
		withLabels(identityLabels, "status"))
	checkPassedDesc = newDesc("check_passed",
		"1 if the job's last pre-check passed (with or without warnings), 0 if it did not; absent while it runs.",
		identityLabels)
	checkProgressDesc = newDesc("check_progress_ratio",
		"Progress of the job's last pre-check from 0 to 1.",
		identityLabels)
	checkStepStatusDesc = newDesc("check_step_status",
		"Result of each pre-check step, one series per status: 1 for the current status, 0 for the others.",
		withLabels(identityLabels, "step_no", "step_id", "step_name", "status"))
	checkStepErrorsDesc = newDesc("check_step_errors",
		"Number of errors a pre-check step reported.",
		withLabels(identityLabels, "step_no", "step_id"))
	checkStepWarningsDesc = newDesc("check_step_warnings",
		"Number of warnings a pre-check step reported.",
		withLabels(identityLabels, "step_no", "step_id"))

	collectorSuccessDesc = prometheus.NewDesc("dts_exporter_collector_success",
		"1 if the API family (collector) succeeded in the last collection of the target, 0 otherwise.",
		withLabels(targetLabels, "collector"), nil)
	collectorDurationDesc = prometheus.NewDesc("dts_exporter_collector_duration_seconds",
		"Time the API family (collector) took in the last collection of the target.",
		withLabels(targetLabels, "collector"), nil)
)

// allDescs is what the scrape collector describes.
var allDescs = []*prometheus.Desc{
	upDesc, jobsDesc, jobInfoDesc, jobStatusDesc, jobPhaseDesc, jobProgressDesc,
	jobStepCurrentDesc, jobStepsDesc, jobStepStatusDesc, jobStepProgressDesc,
	jobDelayDesc, jobLagBytesDesc, jobRecordsDesc, jobFlowDesc, jobCheckpointDesc,
	checkStatusDesc, checkPassedDesc, checkProgressDesc, checkStepStatusDesc, checkStepErrorsDesc, checkStepWarningsDesc,
	collectorSuccessDesc, collectorDurationDesc,
}

// APIMetrics are the exporter's own long-lived counters about its cloud API
// calls. They live on the process registry (/metrics), never on a probe's.
type APIMetrics struct {
	Requests *prometheus.CounterVec
	Duration *prometheus.HistogramVec
	Errors   *prometheus.CounterVec
}

// NewAPIMetrics creates and registers the API call metrics on reg.
func NewAPIMetrics(reg prometheus.Registerer) *APIMetrics {
	m := &APIMetrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dts_exporter_api_requests_total",
			Help: "Cloud API calls made, by provider, action and result code (ok for success).",
		}, []string{"provider", "action", "code"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dts_exporter_api_request_duration_seconds",
			Help:    "Latency of cloud API calls.",
			Buckets: []float64{0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"provider", "action"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dts_exporter_api_errors_total",
			Help: "Failed cloud API calls by target, action and error class (throttled, auth, not_found, timeout, malformed, other).",
		}, []string{"provider", "account", "region", "action", "class"}),
	}
	reg.MustRegister(m.Requests, m.Duration, m.Errors)
	return m
}
