package io.cellgate.policy.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Days of the week and a time of day range in a time zone. A range whose end is before its start crosses
 * midnight ({@code 22:00-06:00}); its {@code days} are the days it starts on, so Friday 22:00-06:00 includes
 * Saturday 03:00 but not Friday 03:00.
 *
 * @param days        the days the window starts on (never empty)
 * @param fromMinute  start, minutes after midnight, inclusive
 * @param toMinute    end, minutes after midnight (1..1440), exclusive
 * @param zone        the zone the times are in
 */
record TimeWindow(Set<DayOfWeek> days, int fromMinute, int toMinute, ZoneId zone) {

    TimeWindow {
        days = Set.copyOf(EnumSet.copyOf(days));
        Objects.requireNonNull(zone, "zone");
        if (fromMinute < 0 || fromMinute >= 1440 || toMinute <= 0 || toMinute > 1440 || fromMinute == toMinute) {
            throw new IllegalArgumentException("window " + fromMinute + ".." + toMinute);
        }
    }

    boolean contains(Instant time) {
        ZonedDateTime local = time.atZone(zone);
        int minute = local.getHour() * 60 + local.getMinute();
        DayOfWeek day = local.getDayOfWeek();
        if (fromMinute < toMinute) {
            return days.contains(day) && minute >= fromMinute && minute < toMinute;
        }
        // Across midnight: the evening part belongs to today, the morning part to the day before.
        return minute >= fromMinute && days.contains(day)
                || minute < toMinute && days.contains(day.minus(1));
    }

    @Override
    public String toString() {
        return EnumSet.copyOf(days).stream().map(d -> d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(",")) + " " + hhmm(fromMinute) + "-" + hhmm(toMinute) + " " + zone.getId();
    }

    static String hhmm(int minute) {
        return String.format("%02d:%02d", minute / 60, minute % 60);
    }
}
