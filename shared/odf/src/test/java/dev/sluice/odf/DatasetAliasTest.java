package dev.sluice.odf;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetAliasTest {
    @Test
    void parsesWithAndWithoutAccount() {
        DatasetAlias a = DatasetAlias.parse("kamu/player-scores");
        assertEquals("kamu", a.account());
        assertEquals("player-scores", a.name());
        assertTrue(a.hasAccount());
        assertEquals("kamu/player-scores", a.toString());

        DatasetAlias b = DatasetAlias.parse("ca.bankofcanada.exchange-rates.daily");
        assertNull(b.account());
        assertEquals("ca.bankofcanada.exchange-rates.daily", b.toString());
        assertEquals(b, new DatasetAlias(null, "ca.bankofcanada.exchange-rates.daily"));
    }

    @Test
    void sameAsIgnoresCase() {
        assertTrue(DatasetAlias.parse("Kamu/Player-Scores").sameAs(DatasetAlias.parse("kamu/player-scores")));
        assertNotEquals(DatasetAlias.parse("Kamu/Player-Scores"), DatasetAlias.parse("kamu/player-scores"));
        assertFalse(DatasetAlias.parse("kamu/a").sameAs(DatasetAlias.parse("a")));
        assertFalse(DatasetAlias.parse("a").sameAs(DatasetAlias.parse("kamu/a")));
        assertFalse(DatasetAlias.parse("a").sameAs(null));
        assertEquals("kamu/a.b", DatasetAlias.parse("KAMU/A.b").normalized());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A1", "0", "a-b", "a-b-c.d-e", "x.y.z", "covid19.alberta.case-details"})
    void validNames(String name) {
        assertTrue(DatasetAlias.isValidName(name));
        assertEquals(name, DatasetAlias.parse(name).name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a/b/c|invalid dataset alias 'a/b/c': expected 'name' or 'account/name'",
        "a..b|invalid dataset name 'a..b': empty segment",
        ".a|invalid dataset name '.a': empty segment",
        "a.|invalid dataset name 'a.': must end with a letter or digit",
        "-a|invalid dataset name '-a': '-' must follow a letter or digit",
        "a--b|invalid dataset name 'a--b': '-' must follow a letter or digit",
        "a-.b|invalid dataset name 'a-.b': '.' must follow a letter or digit",
        "my_data|invalid dataset name 'my_data': character '_' at position 2 is not allowed",
        "my data|invalid dataset name 'my data': character ' ' (space) at position 2",
        "/a|invalid dataset alias '/a': invalid account name '': must not be empty",
        "a/|invalid dataset alias 'a/': invalid dataset name '': must not be empty",
        "ü|character 'ü' at position 0 is not allowed",
        "a/b_c|invalid dataset alias 'a/b_c': invalid dataset name 'b_c'",
    })
    void invalidAliases(String text, String expected) {
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> DatasetAlias.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void controlCharactersAreEscapedInMessages() {
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> DatasetAlias.parse("a\nb\u0000c\u001b[31m"));
        assertEquals("invalid dataset name 'a\\u000ab\\u0000c\\u001b[31m': character \\u000a at position 1 is not allowed (only letters, digits, '-' and '.')",
                e.getMessage());
        assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl));
    }

    @Test
    void emptyNullAndLong() {
        assertThrows(OdfFormatException.class, () -> DatasetAlias.parse(""));
        assertThrows(OdfFormatException.class, () -> DatasetAlias.parse(null));
        assertThrows(OdfFormatException.class, () -> new DatasetAlias("a", null));
        assertFalse(DatasetAlias.isValidName(null));
        String longName = "a".repeat(300);
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> DatasetAlias.parse(longName));
        assertTrue(e.getMessage().contains("longer than 255") && e.getMessage().length() < 200, e.getMessage());
        assertTrue(DatasetAlias.isValidName("a".repeat(255)));
    }
}
