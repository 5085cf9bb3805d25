package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dts-exporter/dts_exporter/internal/alibaba"
	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/tencent"
	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

func TestSimulatorServesSignedRequests(t *testing.T) {
	addr := testutil.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &testutil.Buffer{}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"--web.listen-address=" + addr, "--tencent.sync-jobs=ap-chengdu=7", "--alibaba.sync-jobs=cn-qingdao=5", "--secret-id=AKIDcli"}, out, io.Discard)
	}()
	defer func() {
		cancel()
		if code := <-exited; code != 0 {
			t.Errorf("exit code %d", code)
		}
	}()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out.String(), "listening on"); {
		if time.Now().After(deadline) {
			t.Fatal("the simulator did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	acct := config.Account{Name: "a", Provider: "tencent", Endpoint: "http://" + addr, Collect: []string{"sync_jobs"},
		Credentials: config.Credentials{SecretID: "AKIDcli"}.WithKey("simulator-secret-key")}
	src, err := tencent.New(tencent.Options{Account: acct, Region: "ap-chengdu"})
	if err != nil {
		t.Fatal(err)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer ccancel()
	snap := src.Collect(cctx)
	if snap.Err() != nil || len(snap.Jobs) != 7 {
		t.Errorf("got %d jobs, err %v; want the 7 configured", len(snap.Jobs), snap.Err())
	}
	ali, err := alibaba.New(alibaba.Options{Account: config.Account{Name: "b", Provider: "alibaba", Endpoint: "http://" + addr,
		Collect: []string{"synchronization"}, Credentials: config.Credentials{AccessKeyID: "AKIDcli"}.WithKey("simulator-secret-key")}, Region: "cn-qingdao"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	snap = ali.Collect(cctx)
	for _, j := range snap.Jobs {
		ids[j.ID] = true
	}
	if snap.Err() != nil || len(ids) != 5 {
		t.Errorf("alibaba: got %d jobs, err %v; want the 5 configured", len(ids), snap.Err())
	}
}

func TestSimulatorRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--tencent.sync-jobs=ap-chengdu"},
		{"--tencent.sync-jobs=ap-chengdu=-1"},
		{"--fault=DescribeSyncJobs"},
		{"--alibaba.sync-jobs=cn-hangzhou=x"},
	} {
		var errOut bytes.Buffer
		if code := run(context.Background(), args, io.Discard, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if errOut.Len() == 0 {
			t.Errorf("%v: no error message", args)
		}
	}
}
