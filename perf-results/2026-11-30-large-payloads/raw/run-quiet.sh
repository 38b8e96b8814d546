#!/bin/bash
# usage: run.sh CLASSPATH_FILE BENCH_JAR OUT_NAME
CP="$2:$(cat $1)"
FLAGS="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dchronicle.analytics.disable=true"
cd /tmp/bench2
java $FLAGS -XX:+UseParallelGC -Xms1g -Xmx4g -cp "$CP" org.openjdk.jmh.Main \
  'FourRingSchedulerThroughputBenchmark.publishBatch|AdmissionBenchmark' -f 3 -wi 2 -i 3 -w 1s -r 2s -prof gc \
  -jvmArgsAppend "-XX:+UseParallelGC -Xms1g -Xmx4g $FLAGS" -rf json -rff "/tmp/bench2/$3.json" > "/tmp/bench2/$3.txt" 2>&1
echo done $3
