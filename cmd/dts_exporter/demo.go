package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/simulator"
)

// startDemo serves the demo scenario on a loopback port with fresh random
// credentials, and returns a configuration pointing at it.
func startDemo() (*config.Config, func() error, error) {
	id, key := "AKIDdemo"+randomHex(8), randomHex(20)
	sim := simulator.New(simulator.Options{
		Credentials: map[string]string{id: key},
		Scenario:    simulator.DemoScenario(),
	})
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	yml := fmt.Sprintf(`accounts:
  - name: demo-tencent
    provider: tencent
    regions: [ap-guangzhou, ap-shanghai]
    endpoint: %[1]s
    credentials:
      secret_id: %[2]s
      secret_key: %[3]s
    collect: [sync_jobs, sync_checks, migration_jobs, migration_checks, legacy_sync]
  - name: demo-alibaba
    provider: alibaba
    regions: [cn-hangzhou, cn-shanghai]
    endpoint: %[1]s
    credentials:
      access_key_id: %[2]s
      access_key_secret: %[3]s
  - name: demo-alibaba-dtsjobs
    provider: alibaba
    regions: [cn-hangzhou]
    endpoint: %[1]s
    credentials:
      access_key_id: %[2]s
      access_key_secret: %[3]s
    collect: [dts_jobs]
`, url, id, key)
	cfg, err := config.Parse([]byte(yml), ".")
	if err != nil {
		_ = stop()
		return nil, nil, fmt.Errorf("demo configuration: %w", err)
	}
	return cfg, stop, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
