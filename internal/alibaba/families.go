package alibaba

import (
	"context"
	"strconv"
	"strings"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// Page sizes: the largest each listing accepts. DescribeSynchronizationJobs'
// current documentation caps PageSize at 30; DescribeDtsJobs takes 100.
const (
	syncPageSize    = 30
	dtsJobsPageSize = 100
)

// activePhases are the phases whose jobs get a DescribeSynchronizationJobStatus
// call: their delay, throughput, checkpoint or stages move. The list entry is
// enough for the others (not started, failed, finished), so that a fleet of
// ended jobs costs no per-job calls.
var activePhases = map[dts.Phase]bool{
	dts.PhaseChecking: true, dts.PhaseInitializing: true, dts.PhaseRunning: true,
	dts.PhasePaused: true, dts.PhaseUnknown: true,
}

// pages calls fetch for page 1, 2, ... until a short page, the reported total,
// or maxPages. fetch returns the number of entries on its page and the total.
func (s *Source) pages(ctx context.Context, action string, size int, fetch func(ctx context.Context, page int) (int, text, error)) error {
	seen := 0
	for page := 1; ; page++ {
		n, total, err := fetch(ctx, page)
		if err != nil {
			return err
		}
		seen += n
		t, hasTotal := number(total)
		switch {
		case n < size, hasTotal && float64(seen) >= t:
			return nil
		case page >= maxPages:
			s.logger.Warn("stopped paging: too many pages", "action", action, "pages", page, "entries", seen)
			return nil
		}
	}
}

// unit is one direction of one job to report.
type unit struct {
	id string
	// apiDirection is the API's value (Forward, Reverse); direction is the
	// label value, empty for a one-way job.
	apiDirection, direction string
	entry                   syncStatus
}

// synchronization is the "synchronization" family: DescribeSynchronizationJobs
// paged, then DescribeSynchronizationJobStatus for each direction of each
// active job, which adds millisecond delay, checkpoint and stage details.
func (s *Source) synchronization(ctx context.Context) ([]dts.Job, []dts.Check, error) {
	const listAction, statusAction = "DescribeSynchronizationJobs", "DescribeSynchronizationJobStatus"
	var (
		order   []string
		entries = map[string][]syncStatus{}
	)
	err := s.pages(ctx, listAction, syncPageSize, func(ctx context.Context, page int) (int, text, error) {
		var resp syncListResponse
		err := s.rpc(ctx, listAction, map[string]string{
			"PageNum": strconv.Itoa(page), "PageSize": strconv.Itoa(syncPageSize),
		}, &resp)
		if err != nil {
			return 0, "", err
		}
		for _, e := range resp.SynchronizationInstances {
			id := e.SynchronizationJobId.String()
			if id == "" {
				s.logger.Debug("skipping synchronization job without SynchronizationJobId")
				continue
			}
			if _, ok := entries[id]; !ok {
				order = append(order, id)
			}
			entries[id] = append(entries[id], e)
		}
		return len(resp.SynchronizationInstances), resp.TotalRecordCount, nil
	})
	if err != nil {
		return nil, nil, err
	}

	// A two-way job is listed once per direction; each gets a direction label.
	var units []unit
	for _, id := range order {
		es := entries[id]
		twoWay := len(es) > 1 || strings.EqualFold(es[0].SynchronizationDirection.String(), "reverse")
		seenDir := map[string]bool{}
		for _, e := range es {
			u := unit{id: id, apiDirection: e.SynchronizationDirection.String(), entry: e}
			if twoWay {
				u.direction = dts.DirectionForward
				if strings.EqualFold(u.apiDirection, "reverse") {
					u.direction = dts.DirectionReverse
				}
			}
			if seenDir[u.direction] {
				continue // listed twice while paging
			}
			seenDir[u.direction] = true
			units = append(units, u)
		}
	}

	var active []int
	for i, u := range units {
		if activePhases[Phase(u.entry.Status.String())] {
			active = append(active, i)
		}
	}
	gone := make([]bool, len(units))
	err = forEach(ctx, len(active), func(ctx context.Context, k int) error {
		u := &units[active[k]]
		q := map[string]string{"SynchronizationJobId": u.id}
		if u.apiDirection != "" {
			q["SynchronizationDirection"] = u.apiDirection
		}
		var resp syncStatusResponse
		if err := s.rpc(ctx, statusAction, q, &resp); err != nil {
			if dts.ClassOf(err) == dts.ClassNotFound {
				gone[active[k]] = true // deleted since it was listed
				return nil
			}
			return err // the list entry stands in for it
		}
		name := u.entry.SynchronizationJobName
		u.entry = resp.syncStatus
		if u.entry.SynchronizationJobName == "" {
			u.entry.SynchronizationJobName = name
		}
		return nil
	})
	if err != nil {
		err = convert(statusAction, err)
	}

	var (
		jobs   []dts.Job
		checks []dts.Check
	)
	for i, u := range units {
		if gone[i] {
			continue
		}
		f := syncFields(u)
		jobs = append(jobs, s.job(f))
		if c, ok := s.check(f); ok {
			checks = append(checks, c)
		}
	}
	return jobs, checks, err
}

func syncFields(u unit) fields {
	e := u.entry
	f := fields{
		kind:         dts.KindSync,
		id:           u.id,
		direction:    u.direction,
		name:         e.SynchronizationJobName.String(),
		status:       e.Status.String(),
		src:          e.SourceEndpoint,
		dst:          e.DestinationEndpoint,
		delayMillis:  first(e.DelayMillis, e.DataSynchronizationStatus.DelayMillis),
		delaySeconds: first(e.Delay, e.DataSynchronizationStatus.Delay),
		rps:          e.Performance.RPS,
		flow:         e.Performance.FLOW,
		checkpoint:   first(e.Checkpoint, e.DataSynchronizationStatus.Checkpoint),
		enabled:      [3]text{e.StructureInitialization, e.DataInitialization, ""},
		stages:       [3]stage{e.StructureInitializationStatus, e.DataInitializationStatus, e.DataSynchronizationStatus},
		checkStatus:  e.PrecheckStatus.Status,
		checkPercent: e.PrecheckStatus.Percent,
	}
	for _, d := range e.PrecheckStatus.Detail {
		f.checkItems = append(f.checkItems, checkItem{id: d.ItemName, name: d.ItemName, result: d.CheckStatus})
	}
	return f
}

// dtsJobs is the "dts_jobs" family: DescribeDtsJobs for sync and migration
// jobs, 100 per call, without the object lists. It makes no per-job calls.
func (s *Source) dtsJobs(ctx context.Context) ([]dts.Job, []dts.Check, error) {
	const action = "DescribeDtsJobs"
	var (
		jobs   []dts.Job
		checks []dts.Check
		seen   = map[[2]string]bool{}
	)
	add := func(f fields) {
		key := [2]string{string(f.kind) + "/" + f.id, f.direction}
		if f.id == "" || seen[key] {
			return
		}
		seen[key] = true
		jobs = append(jobs, s.job(f))
		if c, ok := s.check(f); ok {
			checks = append(checks, c)
		}
	}
	for _, jt := range []struct {
		apiType string
		kind    dts.Kind
	}{{"SYNC", dts.KindSync}, {"MIGRATION", dts.KindMigration}} {
		err := s.pages(ctx, action, dtsJobsPageSize, func(ctx context.Context, page int) (int, text, error) {
			var resp dtsJobsResponse
			err := s.rpc(ctx, action, map[string]string{
				// Region is the documented parameter; RegionId, which the
				// SDK still sends, is added by rpc.
				"Region": s.region, "JobType": jt.apiType,
				"PageNumber": strconv.Itoa(page), "PageSize": strconv.Itoa(dtsJobsPageSize),
				"WithoutDbList": "true",
			}, &resp)
			if err != nil {
				return 0, "", err
			}
			for _, j := range resp.DtsJobList {
				id := j.DtsJobId.String()
				if j.ReverseJob == nil || j.ReverseJob.Status == "" {
					add(dtsJobFields(j, jt.kind, id, ""))
					continue
				}
				rev := *j.ReverseJob
				if rev.DtsJobName == "" {
					rev.DtsJobName = j.DtsJobName
				}
				add(dtsJobFields(j, jt.kind, id, dts.DirectionForward))
				add(dtsJobFields(rev, jt.kind, id, dts.DirectionReverse))
			}
			return len(resp.DtsJobList), resp.TotalRecordCount, nil
		})
		if err != nil {
			return jobs, checks, err
		}
	}
	return jobs, checks, nil
}

func dtsJobFields(j dtsJob, kind dts.Kind, id, direction string) fields {
	f := fields{
		kind:         kind,
		id:           id,
		direction:    direction,
		name:         j.DtsJobName.String(),
		status:       j.Status.String(),
		src:          j.SourceEndpoint,
		dst:          j.DestinationEndpoint,
		delaySeconds: j.Delay, // seconds in this API
		rps:          j.Performance.RPS,
		flow:         j.Performance.FLOW,
		checkpoint:   j.Checkpoint,
		enabled: [3]text{j.MigrationMode.StructureInitialization, j.MigrationMode.DataInitialization,
			j.MigrationMode.DataSynchronization},
		stages:       [3]stage{j.StructureInitializationStatus, j.DataInitializationStatus, j.DataSynchronizationStatus},
		checkStatus:  j.PrecheckStatus.Status,
		checkPercent: j.PrecheckStatus.Percent,
	}
	for _, d := range j.PrecheckStatus.Detail {
		f.checkItems = append(f.checkItems, checkItem{id: d.CheckItem, name: d.CheckItemDescription, result: d.CheckResult})
	}
	return f
}

// first returns the first non-empty value.
func first(vs ...text) text {
	for _, v := range vs {
		if v.String() != "" {
			return v
		}
	}
	return ""
}
