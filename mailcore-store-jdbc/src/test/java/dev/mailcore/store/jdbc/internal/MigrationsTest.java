package dev.mailcore.store.jdbc.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {

    @Test
    void bothDialectsHaveTheSameVersionsStartingAtOne() {
        List<Migrations.Script> h2 = Migrations.scripts(Dialect.H2);
        List<Migrations.Script> pg = Migrations.scripts(Dialect.POSTGRESQL);
        assertThat(h2).isNotEmpty();
        assertThat(h2).extracting(Migrations.Script::version).containsExactlyElementsOf(
                pg.stream().map(Migrations.Script::version).toList());
        assertThat(h2.get(0).version()).isEqualTo(1);
    }

    @Test
    void scriptsSplitIntoStatementsAtSemicolonsEndingALineAndDropComments() {
        List<String> s = Migrations.statements("-- a comment\nCREATE TABLE a (\n  x INT\n);\n\nINSERT INTO a VALUES (1);\n");
        assertThat(s).containsExactly("CREATE TABLE a (\nx INT\n)", "INSERT INTO a VALUES (1)");
    }

    @Test
    void theDialectFollowsTheUrl() {
        assertThat(Dialect.fromUrl("jdbc:h2:file:/tmp/x")).isEqualTo(Dialect.H2);
        assertThat(Dialect.fromUrl("JDBC:POSTGRESQL://h/db")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.fromUrl("jdbc:mysql://h/db")).isNull();
    }
}
