package io.cellgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void matchesTag_wildcards_matchWithinOnePartOnly() {
        assertThat(Glob.matchesTag("*/*", "press-1/setpoint")).isTrue();
        assertThat(Glob.matchesTag("press-*/setpoint_*", "press-12/setpoint_a")).isTrue();
        assertThat(Glob.matchesTag("press-*/setpoint_*", "press-12/speed")).isFalse();
        assertThat(Glob.matchesTag("press-?/sp", "press-1/sp")).isTrue();
        assertThat(Glob.matchesTag("press-?/sp", "press-12/sp")).isFalse();
        assertThat(Glob.matchesTag("oven-1/sp", "oven-1/sp")).isTrue();
        assertThat(Glob.matchesTag("oven-1/sp", "oven-1/sp2")).isFalse();
    }

    @Test
    void matchesTag_caseMatters() {
        assertThat(Glob.matchesTag("Press/*", "press/a")).isFalse();
    }

    @Test
    void matchesTag_starDoesNotCrossSlash() {
        assertThat(Glob.matchesTag("*/b", "a/x/b")).isFalse();
        assertThat(Glob.matchesTag("a*/*", "a/b/c")).isFalse();
    }

    @Test
    void matchesTag_dotIsLiteral_notAnyCharacter() {
        assertThat(Glob.matchesTag("a.b/c", "a.b/c")).isTrue();
        assertThat(Glob.matchesTag("a.b/c", "axb/c")).isFalse();
    }

    @Test
    void matchesTag_hostileBacktrackingPattern_answersCorrectly() {
        String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        String name = "a".repeat(64);
        assertThat(Glob.checkTag(pattern + "/*")).isNull();
        assertThat(Glob.matchesTag(pattern + "/*", name + "/x")).isFalse();
        assertThat(Glob.matchesTag(pattern + "/*", "a".repeat(40) + "b/x")).isTrue();
    }

    @Test
    void checkTag_regexAndPathTricks_refused() {
        assertThat(Glob.checkTag("(a+)+/x")).contains("may only hold");
        assertThat(Glob.checkTag("press-[12]/x")).contains("may only hold");
        assertThat(Glob.checkTag("press-1")).contains("is not a tag pattern");
        assertThat(Glob.checkTag("a/b/c")).contains("is not a tag pattern");
        assertThat(Glob.checkTag("/x")).contains("may only hold");
        assertThat(Glob.checkTag("a/")).contains("may only hold");
        assertThat(Glob.checkTag("a" .repeat(65) + "/x")).contains("1 to 64");
        assertThat(Glob.checkTag("a\\b/x")).contains("may only hold");
        assertThat(Glob.checkTag("a b/x")).contains("may only hold");
    }

    @Test
    void matchesSection_patternCoversObjectsBelowIt() {
        assertThat(Glob.matchesSection("devices", "devices")).isTrue();
        assertThat(Glob.matchesSection("devices", "devices/press-1")).isTrue();
        assertThat(Glob.matchesSection("devices/press-*", "devices/press-1")).isTrue();
        assertThat(Glob.matchesSection("devices/press-*", "devices/oven-1")).isFalse();
        assertThat(Glob.matchesSection("devices/press-*", "devices")).isFalse();
        assertThat(Glob.matchesSection("*", "anything/below")).isTrue();
        assertThat(Glob.matchesSection("devices", "devicesX")).isFalse();
    }

    @Test
    void checkSection_badPatterns_refused() {
        assertThat(Glob.checkSection("devices")).isNull();
        assertThat(Glob.checkSection("devices//x")).contains("not a section pattern");
        assertThat(Glob.checkSection("a/b/c/d/e/f/g/h/i")).contains("more than 8 levels");
        assertThat(Glob.checkSection("dev ices")).contains("not a section pattern");
    }
}
