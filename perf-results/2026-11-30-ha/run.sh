#!/bin/bash
# 3-node cluster vs single node on this machine, one run; failover x5. Output in $OUT.
set -u
HOME_DIR=/work/main
OUT=${1:-/work/perf/ha/out}
rm -rf $OUT; mkdir -p $OUT
O=$HOME_DIR/otaprio
cd $OUT
for rate in 10000 50000; do
  # single node
  rm -rf single; mkdir single
  ($O engine --config $HOME_DIR/conf/otaprio.yaml --journal single/journal --listen 127.0.0.1:7600 --metrics off --status-interval 0 > single/engine.log 2>&1 &)
  sleep 4
  $O loadgen --connect 127.0.0.1:7600 --scenario steady --rate $rate --duration 15 --config $HOME_DIR/conf/otaprio.yaml --quiet > single-$rate.txt 2>&1
  pkill -f "journal single/journal"; sleep 3
  du -sb single/journal | cut -f1 > single-$rate.disk
  # cluster
  rm -rf cluster; mkdir cluster
  for n in 0 1 2; do
    ($O engine --config $HOME_DIR/conf/cluster/node-$n.yaml --journal cluster/node-$n/journal --cluster-dir cluster/node-$n/cluster --metrics off --status-interval 0 > cluster/node-$n.log 2>&1 &)
  done
  sleep 10
  $O loadgen --connect 127.0.0.1:7400,127.0.0.1:7410,127.0.0.1:7420 --scenario steady --rate $rate --duration 15 --config $HOME_DIR/conf/otaprio.yaml --quiet > cluster-$rate.txt 2>&1
  pkill -f "conf/cluster/node-"; sleep 4
  du -sb cluster/node-0/cluster/archive | cut -f1 > cluster-$rate.archive
  du -sb cluster/node-0/journal | cut -f1 > cluster-$rate.journal
done
for i in 1 2 3 4 5; do
  $O demo --ha --out failover-$i --duration 12 --kill-at 4 > failover-$i.txt 2>&1
  rm -rf failover-$i/node-*
done
echo done > done
