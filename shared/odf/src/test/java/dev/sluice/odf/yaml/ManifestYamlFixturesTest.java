package dev.sluice.odf.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.odf.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestYamlFixturesTest {
    static final Multihash PREV = Multihash.sha3("prev");

    static Stream<String> manifests() {
        List<String> l = Fixtures.list("manifests", ".yaml");
        assertEquals(5, l.size(), "expected the 5 kamu example manifests");
        return l.stream();
    }

    static Stream<String> blocks() {
        return Stream.concat(Fixtures.list("blocks-yaml", ".yaml").stream(), Fixtures.list("golden/blocks", ".yaml").stream());
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void manifestRoundTrips(String file) {
        DatasetSnapshot s = ManifestYaml.readSnapshot(Fixtures.read(file));
        assertFalse(s.metadata().isEmpty());
        String written = ManifestYaml.writeSnapshot(s);
        assertEquals(s, ManifestYaml.readSnapshot(written), written);
        assertEquals(written, ManifestYaml.writeSnapshot(ManifestYaml.readSnapshot(written)), "writer output is stable");
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void blockRoundTrips(String file) {
        MetadataBlock b = ManifestYaml.readBlock(Fixtures.read(file));
        String written = ManifestYaml.writeBlock(b);
        assertEquals(b, ManifestYaml.readBlock(written), written);
    }

    @Test
    void playerScores() {
        DatasetSnapshot s = ManifestYaml.readSnapshot(Fixtures.read("manifests/kamu-cli__leaderboard__player-scores.yaml"));
        assertEquals("player-scores", s.name());
        assertEquals(DatasetKind.Root, s.kind());
        assertEquals(2, s.metadata().size());
        var push = (MetadataEvent.AddPushSource) s.metadata().get(0);
        assertEquals("default", push.sourceName());
        var read = assertInstanceOf(ReadStep.NdJson.class, push.read());
        assertNull(read.ddlSchema());
        List<DataField> f = read.schema().fields();
        assertEquals(List.of("match_time", "match_id", "player_id", "score"), f.stream().map(DataField::name).toList());
        assertEquals(new DataType.Timestamp(null, null), f.get(0).type());
        assertEquals(new DataType.Int64(), f.get(1).type());
        assertEquals(new DataType.String(), f.get(2).type());
        assertEquals(new MergeStrategy.Ledger(List.of("match_id", "player_id")), push.merge());
        assertNull(push.preprocess());
        assertEquals(new MetadataEvent.SetVocab(null, null, null, "match_time"), s.metadata().get(1));
    }

    @Test
    void leaderboard() {
        DatasetSnapshot s = ManifestYaml.readSnapshot(Fixtures.read("manifests/kamu-cli__leaderboard__leaderboard.yaml"));
        assertEquals(DatasetKind.Derivative, s.kind());
        var t = (MetadataEvent.SetTransform) s.metadata().get(0);
        assertEquals(List.of(new TransformInput("player-scores", "player_scores")), t.inputs());
        var sql = assertInstanceOf(Transform.Sql.class, t.transform());
        assertEquals("risingwave", sql.engine());
        assertNull(sql.queries(), "query shorthand kept as is");
        assertTrue(sql.query().startsWith("select\n  *\nfrom (\n"));
        assertTrue(sql.query().endsWith("where place <= 2\n"));
    }

    @Test
    void pollingManifests() {
        DatasetSnapshot fx = ManifestYaml.readSnapshot(
                Fixtures.read("manifests/kamu-cli__currency_conversion__ca.bankofcanada.exchange-rates.daily.yaml"));
        var poll = (MetadataEvent.SetPollingSource) fx.metadata().get(0);
        assertEquals(new FetchStep.Url("https://www.bankofcanada.ca/valet/observations/group/FX_RATES_DAILY/csv?start_date=2017-01-03", null, null, null), poll.fetch());
        assertEquals(List.of(new PrepStep.Pipe(List.of("sed", "-e", "1,/OBSERVATIONS/d"))), poll.prepare());
        var csv = (ReadStep.Csv) poll.read();
        assertEquals(Boolean.TRUE, csv.header());
        assertEquals(28, csv.schema().fields().size());
        assertEquals(new DataType.Float64(), csv.schema().fields().get(27).type());
        assertEquals("datafusion", ((Transform.Sql) poll.preprocess()).engine());

        DatasetSnapshot ab = ManifestYaml.readSnapshot(Fixtures.read("manifests/kamu-cli__covid__alberta.case-details.yaml"));
        var abRead = ((MetadataEvent.SetPollingSource) ab.metadata().get(0)).read();
        assertEquals(new DataType.Option(new DataType.String()), abRead.schema().fields().get(2).type());
        var att = (MetadataEvent.SetAttachments) ab.metadata().get(3);
        var item = ((Attachments.Embedded) att.attachments()).items().get(0);
        assertEquals("README.md", item.path());
        assertTrue(item.content().startsWith("# Confirmed positive cases"));
        assertEquals(new MetadataEvent.SetLicense("OGL-Canada-2.0", "Open Government Licence - Canada", "OGL-Canada-2.0",
                "https://open.canada.ca/en/open-government-licence-canada"), ab.metadata().get(4));

        DatasetSnapshot tx = ManifestYaml.readSnapshot(Fixtures.read("manifests/kamu-cli__currency_conversion__my.trading.transactions.yaml"));
        assertEquals(new FetchStep.FilesGlob("data/transactions.csv", null, null, null), ((MetadataEvent.SetPollingSource) tx.metadata().get(0)).fetch());
    }

    @Test
    void canonicalSetDataSchemaBlock() {
        String text = Fixtures.read("blocks-yaml/metadata-block-v3-setdataschema.yaml");
        MetadataBlock b = ManifestYaml.readBlock(text);
        assertEquals(Instant.parse("2020-01-01T12:00:00Z"), b.systemTime());
        assertEquals(PREV, b.prevBlockHash());
        assertEquals(123, b.sequenceNumber());
        var e = (MetadataEvent.SetDataSchema) b.event();
        assertNull(e.rawArrowSchema());
        List<DataField> f = e.schema().fields();
        assertEquals(new DataType.String(), f.get(0).type());
        assertEquals(Map.of("arrow.apache.org/bufferEncoding", Map.of("kind", "View", "offsetBitWidth", 32L)), f.get(0).extra().entries());
        assertEquals(new DataType.UInt64(), f.get(1).type());
        assertEquals(new DataType.Option(new DataType.String()), f.get(2).type());
        assertEquals(Map.of("kind", "ObjectLink", "linkType", Map.of("kind", "Multihash")),
                f.get(2).extra().entries().get("opendatafabric.org/type"));
        assertEquals(new DataType.List(new DataType.String(), null), f.get(3).type());
        assertEquals(Map.of("kamu.dev/archetype", "Collection"), e.schema().extra().entries());

        String written = ManifestYaml.writeBlock(b);
        assertEquals(b, ManifestYaml.readBlock(written));
        assertEquals(text, written, "canonical fixture is reproduced byte for byte");
    }

    @Test
    void legacyRawArrowBlock() {
        String text = Fixtures.read("blocks-yaml/metadata-block-v3-setdataschema-legacy-rawarrow.yaml");
        var e = (MetadataEvent.SetDataSchema) ManifestYaml.readBlock(text).event();
        assertNull(e.schema());
        assertEquals(0x0c, e.rawArrowSchema()[0]);
        String written = ManifestYaml.writeBlock(ManifestYaml.readBlock(text));
        assertEquals(ManifestYaml.readBlock(text), ManifestYaml.readBlock(written));
        assertEquals(text, written);
    }

    @Test
    void goldenBlocks() {
        MetadataBlock empty = ManifestYaml.readBlock(Fixtures.read("golden/blocks/add-data-empty.yaml"));
        assertEquals(new MetadataBlock(Instant.parse("2020-01-01T12:00:00Z"), PREV, 117,
                new MetadataEvent.AddData(null, null, null, null, null, null, null)), empty);

        MetadataBlock full = ManifestYaml.readBlock(Fixtures.read("golden/blocks/add-data-full.yaml"));
        var ad = (MetadataEvent.AddData) full.event();
        assertEquals(PREV, ad.prevCheckpoint());
        assertEquals(9L, ad.prevOffset());
        assertEquals(new OffsetInterval(10, 99), ad.newData().offsetInterval());
        assertEquals(100, ad.newData().size());
        assertEquals(Multihash.fromMultibase("f16201970ee21101d110c448f2b72aec873f9be2b4e5403a5fdf88e18ca4430d8b1cb"), ad.newData().physicalHash());
        assertEquals(Instant.parse("2020-01-01T12:00:00Z"), ad.newWatermark());

        MetadataBlock info = ManifestYaml.readBlock(Fixtures.read("golden/blocks/set-info-foo.yaml"));
        assertNull(info.prevBlockHash());
        assertEquals(0, info.sequenceNumber());
        assertEquals(new MetadataEvent.SetInfo("foo", null), info.event());
    }
}
