package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the mini set through a real hdfs:// URI (an in-process MiniDFSCluster). */
class Cifar10HdfsIT {

    static final Subset MINI_ALL = new Subset(2022, 1978, 1000);

    @TempDir
    static java.nio.file.Path base;

    static MiniDFSCluster cluster;
    static Configuration conf;
    static String root;

    @BeforeAll
    static void startCluster() throws IOException {
        conf = new Configuration();
        // keep every file the cluster writes inside the temporary directory, never in the module
        conf.set("hadoop.tmp.dir", base.resolve("tmp").toString());
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        cluster = new MiniDFSCluster.Builder(conf, base.resolve("dfs").toFile()).numDataNodes(1).build();
        cluster.waitActive();
        FileSystem hdfs = cluster.getFileSystem();
        root = hdfs.getUri().toString();
        hdfs.copyFromLocalFile(new Path(TestData.miniDirectory().toUri()), new Path("/cifar"));
    }

    @AfterAll
    static void stopCluster() {
        // its threads are not daemons: a cluster left running would keep the test JVM alive
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Test
    void readsTheSameImagesAndChecksumsAsTheLocalFileSystem() {
        CifarDirectory dir = CifarDirectory.open(root + "/cifar", conf);
        assertThat(dir.uri().toString()).isEqualTo(root + "/cifar").startsWith("hdfs://");
        TrainingData remote = dir.load(Split.standard(), MINI_ALL);
        TrainingData local = CifarDirectory.open(TestData.miniDirectory().toString(), new Configuration())
                .load(Split.standard(), MINI_ALL);

        assertThat(remote.checksums()).isEqualTo(local.checksums());
        for (Images[] pair : new Images[][] {{CifarDirectoryTest.cifar(remote.train()), CifarDirectoryTest.cifar(local.train())}, {CifarDirectoryTest.cifar(remote.valid()), CifarDirectoryTest.cifar(local.valid())},
            {CifarDirectoryTest.cifar(remote.test()), CifarDirectoryTest.cifar(local.test())}}) {
            assertThat(pair[0].labels).isEqualTo(pair[1].labels);
            assertThat(pair[0].pixels).isEqualTo(pair[1].pixels);
        }
    }

    @Test
    void problemsNameTheHdfsUri() throws IOException {
        FileSystem hdfs = cluster.getFileSystem();
        Path broken = new Path("/broken");
        hdfs.mkdirs(broken);
        for (String name : new String[] {"data_batch_1.bin", "data_batch_2.bin", "test_batch.bin"}) {
            FileUtil.copy(hdfs, new Path("/cifar/" + name), hdfs,
                    new Path(broken, name), false, conf);
        }
        assertThatThrownBy(() -> CifarDirectory.open(root + "/broken", conf))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("batch file " + root + "/broken/data_batch_3.bin is missing");
    }
}
