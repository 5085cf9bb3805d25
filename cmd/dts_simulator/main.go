// Command dts_simulator serves a simulated DTS cloud on loopback, for demo
// stacks, end-to-end tests and benchmarks. It speaks Tencent Cloud API 3.0
// and verifies request signatures like the real cloud.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/alecthomas/kingpin/v2"

	"github.com/dts-exporter/dts_exporter/internal/simulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := kingpin.New("dts_simulator", "A simulated DTS cloud (Tencent Cloud API 3.0) for demos and tests.")
	var (
		listen    = app.Flag("web.listen-address", "Address to listen on; keep it on loopback.").Default("127.0.0.1:18080").String()
		secretID  = app.Flag("secret-id", "Key id the simulator accepts (Tencent secret_id and Alibaba access_key_id).").Default("AKIDsimulator").String()
		keyFile   = app.Flag("secret-key-file", "File holding the secret key the simulator accepts (default: $DTS_SIMULATOR_SECRET_KEY, else 'simulator-secret-key').").String()
		regions   = app.Flag("tencent.sync-jobs", "Sync jobs per region, as REGION=COUNT; repeatable.").Default("ap-guangzhou=8", "ap-shanghai=4").Strings()
		migration = app.Flag("tencent.migration-jobs", "Migration jobs per region, as REGION=COUNT; repeatable.").Default("ap-guangzhou=6").Strings()
		legacy    = app.Flag("tencent.legacy-sync-jobs", "2018-03-30 sync jobs per region, as REGION=COUNT; repeatable. Elsewhere that API answers ActionOffline.").Strings()
		aliSync   = app.Flag("alibaba.sync-jobs", "Alibaba synchronization jobs per region, as REGION=COUNT; repeatable. DescribeDtsJobs (JobType SYNC) lists the same jobs.").Default("cn-hangzhou=14").Strings()
		aliMig    = app.Flag("alibaba.migration-jobs", "Alibaba migration jobs per region (DescribeDtsJobs, JobType MIGRATION), as REGION=COUNT; repeatable.").Default("cn-hangzhou=12").Strings()
		faultSpec = app.Flag("fault", "Inject a fault on every call of an action, as ACTION=ERROR_CODE (e.g. DescribeSyncJobs=RequestLimitExceeded) or ACTION=malformed; repeatable.").Strings()
	)
	app.UsageWriter(stdout)
	app.ErrorWriter(stderr)
	app.Terminate(nil)
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(stderr, "dts_simulator: %v\n", err)
		return 2
	}

	key := os.Getenv("DTS_SIMULATOR_SECRET_KEY")
	if *keyFile != "" {
		b, err := os.ReadFile(*keyFile)
		if err != nil {
			fmt.Fprintf(stderr, "dts_simulator: --secret-key-file: %v\n", err)
			return 2
		}
		key = strings.TrimSpace(string(b))
	}
	if key == "" {
		key = "simulator-secret-key"
	}

	scenario := simulator.Scenario{}
	for _, f := range []struct {
		flag  string
		specs []string
		into  *map[string]int
	}{
		{"tencent.sync-jobs", *regions, &scenario.TencentSyncJobs},
		{"tencent.migration-jobs", *migration, &scenario.TencentMigrationJobs},
		{"tencent.legacy-sync-jobs", *legacy, &scenario.TencentLegacySyncJobs},
		{"alibaba.sync-jobs", *aliSync, &scenario.AlibabaSyncJobs},
		{"alibaba.migration-jobs", *aliMig, &scenario.AlibabaMigrationJobs},
	} {
		counts, err := regionCounts(f.specs)
		if err != nil {
			fmt.Fprintf(stderr, "dts_simulator: --%s: %v\n", f.flag, err)
			return 2
		}
		*f.into = counts
	}
	sim := simulator.New(simulator.Options{Credentials: map[string]string{*secretID: key}, Scenario: scenario})
	for _, spec := range *faultSpec {
		action, what, ok := strings.Cut(spec, "=")
		if !ok || action == "" || what == "" {
			fmt.Fprintf(stderr, "dts_simulator: --fault: %q is not ACTION=ERROR_CODE or ACTION=malformed\n", spec)
			return 2
		}
		f := simulator.Fault{Action: action, Code: what}
		if what == "malformed" {
			f = simulator.Fault{Action: action, Malformed: true}
		}
		sim.InjectFault(f)
	}

	url, stop, err := sim.Start(*listen)
	if err != nil {
		fmt.Fprintf(stderr, "dts_simulator: %v\n", err)
		return 1
	}
	defer func() { _ = stop() }()
	fmt.Fprintf(stdout, "dts_simulator listening on %s (secret id %s)\n", url, *secretID)
	<-ctx.Done()
	return 0
}

// regionCounts parses REGION=COUNT flags.
func regionCounts(specs []string) (map[string]int, error) {
	counts := map[string]int{}
	for _, spec := range specs {
		region, count, ok := strings.Cut(spec, "=")
		n, err := strconv.Atoi(count)
		if !ok || err != nil || n < 0 || region == "" {
			return nil, fmt.Errorf("%q is not REGION=COUNT", spec)
		}
		counts[region] = n
	}
	return counts, nil
}
