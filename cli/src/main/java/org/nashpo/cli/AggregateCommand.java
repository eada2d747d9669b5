package org.nashpo.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.spark.aggregate.AggregateJob;
import org.nashpo.spark.aggregate.AggregatePlan;
import org.nashpo.spark.construct.ConstructJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Turn a construct output into a benchmark directory (format 2, docs/BENCHMARK-FORMAT.md): every "
                + "run record read, invalid ones skipped and listed, one per key, published whole.")
final class AggregateCommand implements Callable<Integer> {

    @Option(names = "--runs", required = true, description = "The construct output (local path or URI, e.g. "
            + "hdfs://namenode/nashpo/runs): its runs/ directory is read.")
    private String runs;

    @Option(names = "--out", required = true, description = "The benchmark directory to write (local path or URI).")
    private String out;

    @Option(names = "--overwrite", description = "Replace an existing benchmark at --out.")
    private boolean overwrite;

    @Option(names = "--dataset", paramLabel = "DATASET",
            description = "Aggregate the runs of this data set only (cifar10, cifar100, imagenet16-120), into "
                    + "--out/DATASET: --out is then a directory of data sets, which Benchmark.open(dir, \"cifar100\") "
                    + "opens by name. Without it the runs must be of one data set and --out is their benchmark.")
    private String dataset;

    @Option(names = "--protocol", paramLabel = "ID",
            description = "Aggregate the runs of this protocol (its id, as nashpo status lists it). Default: the "
                    + "protocol of this version's training recipe (or the output's only one). The runs of other "
                    + "protocols are left out and counted.")
    private String protocol;

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]).")
    private String master;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        String runsUri = Uris.of(runs, "--runs").toString();
        String outUri = Uris.of(out, "--out").toString();
        SparkConf conf = SparkSetup.conf("nashpo aggregate", master);
        Uris.requireInput(URI.create(runsUri), "--runs", "runs/", "the output of nashpo construct (runs/<run id>.avro)",
                ConstructJob.hadoopProperties(conf));
        AggregateJob.Summary s;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            s = AggregateJob.run(sc, new AggregatePlan(runsUri, outUri, overwrite, ConstructJob.hadoopProperties(conf),
                    dataset, protocol));
        }
        PrintWriter err = spec.commandLine().getErr();
        s.read().invalid().forEach(i -> err.println("aggregate: skipped: " + i));
        err.flush();
        return output.emit(spec.commandLine().getOut(), s, text(s));
    }

    private static List<String> text(AggregateJob.Summary s) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s → %s in %.1f s", s.runs(), s.out(), s.seconds()));
        AggregateJob.Read r = s.read();
        AggregateJob.Tables t = s.tables();
        lines.add(String.format("read     %d files, %d records; %d skipped as invalid, %d duplicates dropped, "
                + "%d failed keys left out", r.files(), r.records(), r.invalid().size(), r.duplicates(), r.failed()));
        AggregateJob.Protocols p = s.protocols();
        lines.add(String.format("protocol %s (%s)", p.id(), recipe(p.todaysRecipe())));
        for (AggregateJob.ProtocolRuns o : p.leftOut()) {
            lines.add(String.format("left out %d runs of protocol %s (%s)", o.runs(), o.id(), recipe(o.todaysRecipe())));
        }
        if (!s.data().dataset().equals(Dataset.CIFAR10.specName())
                || !s.data().split().equals(DataSplit.NAS_HPO_BENCH_2.specName())) {
            lines.add(String.format("data     %s, divided as %s divides it%s", s.data().dataset(), s.data().split(),
                    r.otherDatasets() > 0 ? String.format("; %d records of other data sets left out",
                            r.otherDatasets()) : ""));
        }
        if (!s.space().family().equals(NetworkFamily.NAS_HPO_BENCH_2.specName())
                || !s.space().operations().equals(SearchSpace.NAS_HPO_BENCH_2.operationNames())) {
            lines.add(String.format("space    %s network, operations %s", s.space().family(), s.space().operations()));
        }
        lines.add(String.format("schedule runs-%d: %d rows (%d diverged)%s", t.shortEpochs(), t.shortRuns(),
                t.divergedRuns(), t.longEpochs() > 0
                        ? String.format("; runs-%d: %d rows", t.longEpochs(), t.longRuns()) : ""));
        lines.add(String.format("tables   %d classes, %d configuration rows", t.classes(), t.configurations()));
        for (AggregateJob.Completeness c : s.completeness()) {
            lines.add(String.format("complete %s seed %d: %d of %d keys%s", c.table(), c.seed(), c.present(),
                    c.expected(), c.missing().isEmpty() ? "" : "; missing " + String.join(", ",
                            c.missing().subList(0, Math.min(5, c.missing().size())))
                            + (c.missing().size() > 5 ? ", … (all in manifest.json)" : "")));
        }
        return lines;
    }

    private static String recipe(boolean today) {
        return today ? "this version's recipe" : "an older recipe";
    }
}
