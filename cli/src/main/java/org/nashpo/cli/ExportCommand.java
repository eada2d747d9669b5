package org.nashpo.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.spark.export.ExportFormat;
import org.nashpo.spark.export.ExportJob;
import org.nashpo.spark.export.ExportPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a benchmark: parquet or csv (tidy tables for pandas: runs at their last epoch, "
                + "curves per epoch), avro (its tables and schemas), or nashpobench2 (bench12.pkl, cellinfo.pkl, "
                + "avgaccs200.pkl for the original Python API). Published whole.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--bench", required = true, description = "The benchmark directory (local path or URI).")
    private String bench;

    @Option(names = "--format", required = true, description = "parquet, csv, avro or nashpobench2.")
    private String format;

    @Option(names = "--out", required = true, description = "The directory to write (local path or URI).")
    private String out;

    @Option(names = "--overwrite", description = "Replace an existing directory at --out.")
    private boolean overwrite;

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]).")
    private String master;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ExportFormat f = ExportFormat.parse(format);
        String benchUri = Uris.of(bench, "--bench").toString();
        String outUri = Uris.of(out, "--out").toString();
        SparkConf conf = SparkSetup.conf("nashpo export", master);
        Uris.requireInput(URI.create(benchUri), "--bench", "manifest.json", Uris.BENCHMARK,
                ConstructJob.hadoopProperties(conf));
        ExportJob.Summary s;
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            s = ExportJob.run(spark, new ExportPlan(benchUri, f, outUri, overwrite, ConstructJob.hadoopProperties(conf)));
        } finally {
            spark.stop();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s → %s (%s, %d rows) in %.1f s", s.bench(), s.out(), s.format(), s.rows(),
                s.seconds()));
        s.files().forEach(file -> lines.add("  " + file));
        return output.emit(spec.commandLine().getOut(), s, lines);
    }
}
