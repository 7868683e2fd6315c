/* test-calendar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The working-day calendar against known years. Every expectation below was worked out by
 * hand from the law's rules and the Cabinet orders written next to it, not by the code.
 */
#include "config.h"

#include <string.h>

#include "kac-calendar.h"

static void
set_date (GDate *date,
          guint  year,
          guint  month,
          guint  day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static KacCalendarDayKind
kind_of (KacCalendar *calendar,
         guint        year,
         guint        month,
         guint        day)
{
  GDate date;

  set_date (&date, year, month, day);
  return kac_calendar_get_day_kind (calendar, &date);
}

static gboolean
working (KacCalendar *calendar,
         guint        year,
         guint        month,
         guint        day)
{
  GDate date;

  set_date (&date, year, month, day);
  return kac_calendar_is_working_day (calendar, &date);
}

static const char *
holiday_name (KacCalendar *calendar,
              guint        year,
              guint        month,
              guint        day)
{
  const char *name = NULL;
  GDate date;
  gboolean holiday;

  set_date (&date, year, month, day);
  holiday = kac_calendar_is_holiday (calendar, &date, &name);
  g_assert_cmpint (holiday, ==, name != NULL);
  return name;
}

static char *
add_days (KacCalendar *calendar,
          guint        year,
          guint        month,
          guint        day,
          guint        n)
{
  GDate date;

  set_date (&date, year, month, day);
  kac_calendar_add_working_days (calendar, &date, n);
  return format_date (&date);
}

static gint
between (KacCalendar *calendar,
         guint        year_a,
         guint        month_a,
         guint        day_a,
         guint        year_b,
         guint        month_b,
         guint        day_b)
{
  GDate a, b;

  set_date (&a, year_a, month_a, day_a);
  set_date (&b, year_b, month_b, day_b);
  return kac_calendar_working_days_between (calendar, &a, &b);
}

static KacCalendar *
calendar_from_string (const char  *json,
                      GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return kac_calendar_new_from_bytes (bytes, error);
}

/* Easter */

static void
test_easter (void)
{
  /* The dates the issue gives, and well-known ones (the earliest and latest possible Easter). */
  static const struct { guint year, month, day; } known[] = {
    { 2024, 3, 31 }, { 2025, 4, 20 }, { 2026, 4, 5 }, { 2027, 3, 28 },
    { 2000, 4, 23 }, { 2019, 4, 21 }, { 2285, 3, 22 }, { 1943, 4, 25 }, { 2038, 4, 25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      GDate easter;

      kac_calendar_get_easter (known[i].year, &easter);
      g_assert_cmpuint (g_date_get_month (&easter), ==, known[i].month);
      g_assert_cmpuint (g_date_get_day (&easter), ==, known[i].day);
    }
}

/* Fixed holidays, year by year */

static void
test_holidays_2024 (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();

  /* 1 January 2024 is a Monday. Easter 31 March: Good Friday 29 March, Easter Monday 1 April. */
  g_assert_cmpstr (holiday_name (calendar, 2024, 1, 1), ==, "New Year’s Day");
  g_assert_true (working (calendar, 2024, 1, 2));
  g_assert_cmpstr (holiday_name (calendar, 2024, 3, 29), ==, "Good Friday");
  g_assert_cmpstr (holiday_name (calendar, 2024, 3, 31), ==, "Easter Sunday");
  g_assert_cmpstr (holiday_name (calendar, 2024, 4, 1), ==, "Easter Monday");
  g_assert_true (working (calendar, 2024, 3, 28));
  g_assert_true (working (calendar, 2024, 4, 2));
  g_assert_null (holiday_name (calendar, 2024, 3, 30));       /* Holy Saturday: only a weekend */
  g_assert_cmpint (kind_of (calendar, 2024, 3, 30), ==, KAC_CALENDAR_DAY_WEEKEND);

  /* 1 May is a Wednesday; 4 May a Saturday, so Monday 6 May is a day off. */
  g_assert_nonnull (holiday_name (calendar, 2024, 5, 1));
  g_assert_cmpstr (holiday_name (calendar, 2024, 5, 4), ==, "Restoration of Independence Day");
  g_assert_cmpint (kind_of (calendar, 2024, 5, 5), ==, KAC_CALENDAR_DAY_WEEKEND);
  g_assert_cmpstr (holiday_name (calendar, 2024, 5, 6), ==, "Day off for the Restoration of Independence Day");
  g_assert_false (working (calendar, 2024, 5, 6));
  g_assert_true (working (calendar, 2024, 5, 7));

  /* 23 June is a Sunday, 24 June a Monday. */
  g_assert_cmpstr (holiday_name (calendar, 2024, 6, 23), ==, "Midsummer Eve");
  g_assert_cmpstr (holiday_name (calendar, 2024, 6, 24), ==, "Midsummer Day");
  g_assert_true (working (calendar, 2024, 6, 25));

  /* 18 November is a Monday: no extra day. */
  g_assert_cmpstr (holiday_name (calendar, 2024, 11, 18), ==, "Proclamation Day of the Republic of Latvia");
  g_assert_true (working (calendar, 2024, 11, 19));

  /* Christmas: 24–26 December Tuesday to Thursday, 31 December a Tuesday. Cabinet order No. 348
   * of 13 June 2023: Monday 23 December is off, worked on Saturday 14 December; Monday
   * 30 December is off, worked on Saturday 28 December. */
  g_assert_cmpstr (holiday_name (calendar, 2024, 12, 24), ==, "Christmas Eve");
  g_assert_cmpstr (holiday_name (calendar, 2024, 12, 25), ==, "Christmas Day");
  g_assert_cmpstr (holiday_name (calendar, 2024, 12, 26), ==, "Second Day of Christmas");
  g_assert_cmpstr (holiday_name (calendar, 2024, 12, 31), ==, "New Year’s Eve");
  g_assert_cmpint (kind_of (calendar, 2024, 12, 23), ==, KAC_CALENDAR_DAY_MOVED_DAY_OFF);
  g_assert_cmpint (kind_of (calendar, 2024, 12, 30), ==, KAC_CALENDAR_DAY_MOVED_DAY_OFF);
  g_assert_cmpint (kind_of (calendar, 2024, 12, 14), ==, KAC_CALENDAR_DAY_MOVED_WORKING_DAY);
  g_assert_cmpint (kind_of (calendar, 2024, 12, 28), ==, KAC_CALENDAR_DAY_MOVED_WORKING_DAY);
  g_assert_null (holiday_name (calendar, 2024, 12, 23));      /* a day off, not a holiday */
  g_assert_false (working (calendar, 2024, 12, 23));
  g_assert_true (working (calendar, 2024, 12, 14));
  g_assert_true (working (calendar, 2024, 12, 27));
  g_assert_false (working (calendar, 2024, 12, 21));          /* an ordinary Saturday */

  /* 2024 has 366 days from a Monday: 52 weeks and Monday–Tuesday, so 262 weekdays. Holidays on
   * weekdays: 1 Jan, 29 Mar, 1 Apr, 1 May, 6 May, 24 Jun, 18 Nov, 24, 25, 26, 31 Dec = 11.
   * The two moves take two weekdays and give two Saturdays. 262 − 11 = 251. */
  g_assert_cmpint (between (calendar, 2023, 12, 31, 2024, 12, 31), ==, 251);
}

static void
test_holidays_2025 (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();

  /* Easter 20 April: Good Friday 18 April, Easter Monday 21 April. */
  g_assert_cmpstr (holiday_name (calendar, 2025, 4, 18), ==, "Good Friday");
  g_assert_cmpstr (holiday_name (calendar, 2025, 4, 20), ==, "Easter Sunday");
  g_assert_cmpstr (holiday_name (calendar, 2025, 4, 21), ==, "Easter Monday");
  g_assert_true (working (calendar, 2025, 4, 17));

  /* 1 May a Thursday (2 May stays a working day: no order moves it that we know of);
   * 4 May a Sunday, so Monday 5 May is off. */
  g_assert_false (working (calendar, 2025, 5, 1));
  g_assert_true (working (calendar, 2025, 5, 2));
  g_assert_cmpstr (holiday_name (calendar, 2025, 5, 4), ==, "Restoration of Independence Day");
  g_assert_cmpstr (holiday_name (calendar, 2025, 5, 5), ==, "Day off for the Restoration of Independence Day");
  g_assert_true (working (calendar, 2025, 5, 6));

  /* 23 and 24 June Monday and Tuesday; 18 November a Tuesday. Cabinet order No. 332 of
   * 30 April 2024: Monday 17 November off, worked on Saturday 8 November. */
  g_assert_false (working (calendar, 2025, 6, 23));
  g_assert_false (working (calendar, 2025, 6, 24));
  g_assert_false (working (calendar, 2025, 11, 18));
  g_assert_cmpint (kind_of (calendar, 2025, 11, 17), ==, KAC_CALENDAR_DAY_MOVED_DAY_OFF);
  g_assert_true (working (calendar, 2025, 11, 8));
  g_assert_true (working (calendar, 2025, 11, 19));

  /* 365 days from a Wednesday: 52 weeks and a Wednesday, 261 weekdays. Holidays on weekdays:
   * 1 Jan, 18 Apr, 21 Apr, 1 May, 5 May, 23 Jun, 24 Jun, 18 Nov, 24, 25, 26, 31 Dec = 12.
   * The move is one for one. 261 − 12 = 249. */
  g_assert_cmpint (between (calendar, 2024, 12, 31, 2025, 12, 31), ==, 249);
}

static void
test_holidays_2026 (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();

  /* Easter 5 April: Good Friday 3 April, Easter Monday 6 April. 4 May is a Monday itself. */
  g_assert_cmpstr (holiday_name (calendar, 2026, 4, 3), ==, "Good Friday");
  g_assert_cmpstr (holiday_name (calendar, 2026, 4, 6), ==, "Easter Monday");
  g_assert_cmpstr (holiday_name (calendar, 2026, 5, 4), ==, "Restoration of Independence Day");
  g_assert_true (working (calendar, 2026, 5, 5));
  g_assert_null (holiday_name (calendar, 2026, 5, 5));

  /* The 2026 order (adopted 10 June 2025): Friday 2 January off, worked on Saturday
   * 17 January; Monday 22 June off, worked on Saturday 27 June. */
  g_assert_cmpint (kind_of (calendar, 2026, 1, 2), ==, KAC_CALENDAR_DAY_MOVED_DAY_OFF);
  g_assert_cmpint (kind_of (calendar, 2026, 1, 17), ==, KAC_CALENDAR_DAY_MOVED_WORKING_DAY);
  g_assert_cmpint (kind_of (calendar, 2026, 6, 22), ==, KAC_CALENDAR_DAY_MOVED_DAY_OFF);
  g_assert_cmpint (kind_of (calendar, 2026, 6, 27), ==, KAC_CALENDAR_DAY_MOVED_WORKING_DAY);
  g_assert_false (working (calendar, 2026, 6, 23));
  g_assert_false (working (calendar, 2026, 6, 24));

  /* 26 December 2026 is a Saturday: a holiday on a weekend gives no day (only 4 May and
   * 18 November do). */
  g_assert_cmpstr (holiday_name (calendar, 2026, 12, 26), ==, "Second Day of Christmas");
  g_assert_true (working (calendar, 2026, 12, 28));

  /* 365 days from a Thursday: 261 weekdays. Holidays on weekdays: 1 Jan, 3 Apr, 6 Apr, 1 May,
   * 4 May, 23 Jun, 24 Jun, 18 Nov, 24 Dec, 25 Dec, 31 Dec = 11. Moves one for one. 250. */
  g_assert_cmpint (between (calendar, 2025, 12, 31, 2026, 12, 31), ==, 250);
}

static void
test_holidays_2027 (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();

  /* Easter 28 March: Good Friday 26 March, Easter Monday 29 March. 1 May a Saturday (no
   * extra day for it), 4 May a Tuesday. */
  g_assert_cmpstr (holiday_name (calendar, 2027, 3, 26), ==, "Good Friday");
  g_assert_cmpstr (holiday_name (calendar, 2027, 3, 29), ==, "Easter Monday");
  g_assert_nonnull (holiday_name (calendar, 2027, 5, 1));
  g_assert_true (working (calendar, 2027, 5, 3));
  g_assert_false (working (calendar, 2027, 5, 4));

  /* No 2027 order is in the data file: Monday 3 May and Friday 24 December are as the law
   * has them (3 May a working day, 24 December a holiday). */
  g_assert_cmpint (kind_of (calendar, 2027, 5, 3), ==, KAC_CALENDAR_DAY_WORKING);
  g_assert_cmpstr (holiday_name (calendar, 2027, 12, 24), ==, "Christmas Eve");

  /* 365 days from a Friday: 261 weekdays. Holidays on weekdays: 1 Jan, 26 Mar, 29 Mar, 4 May,
   * 23 Jun, 24 Jun, 18 Nov, 24 Dec, 31 Dec = 9 (1 May, 25 and 26 Dec fall on weekends).
   * 261 − 9 = 252. */
  g_assert_cmpint (between (calendar, 2026, 12, 31, 2027, 12, 31), ==, 252);
}

/* 4 May and 18 November on a weekend */

static void
test_weekend_moves (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();

  /* 18 November 2023 a Saturday: Monday 20 November off; Sunday 19th is only a weekend. */
  g_assert_nonnull (holiday_name (calendar, 2023, 11, 18));
  g_assert_cmpint (kind_of (calendar, 2023, 11, 19), ==, KAC_CALENDAR_DAY_WEEKEND);
  g_assert_cmpstr (holiday_name (calendar, 2023, 11, 20), ==, "Day off for the Proclamation Day");
  g_assert_true (working (calendar, 2023, 11, 21));

  /* 4 May 2024 a Saturday → Monday 6 May; 4 May 2025 a Sunday → Monday 5 May. */
  g_assert_false (working (calendar, 2024, 5, 6));
  g_assert_false (working (calendar, 2025, 5, 5));

  /* 18 November 2028 a Saturday → Monday 20 November. 18 November 2029 a Sunday → Monday
   * 19 November. 18 November 2025 a Tuesday: Monday 17th is off only by the Cabinet's move,
   * Wednesday 19th is a working day. */
  g_assert_nonnull (holiday_name (calendar, 2028, 11, 20));
  g_assert_true (working (calendar, 2028, 11, 21));
  g_assert_nonnull (holiday_name (calendar, 2029, 11, 19));
  g_assert_null (holiday_name (calendar, 2025, 11, 19));

  /* A Monday 5 or 6 May / 19 or 20 November only follows a weekend holiday: in 2031 4 May is
   * a Sunday (5 May a Monday → off), in 2026 Monday 4 May is the holiday itself and Tuesday
   * 5 May is not. */
  g_assert_false (working (calendar, 2031, 5, 5));
  g_assert_true (working (calendar, 2026, 5, 5));
}

/* Counting */

static void
test_add_working_days (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL, *g = NULL,
                  *h = NULL, *i = NULL;

  /* An ordinary week: Friday 7 June 2024 + 1 = Monday 10 June; + 0 = itself. */
  a = add_days (calendar, 2024, 6, 7, 1);
  g_assert_cmpstr (a, ==, "2024-06-10");
  b = add_days (calendar, 2024, 6, 7, 0);
  g_assert_cmpstr (b, ==, "2024-06-07");

  /* Christmas 2024 from Friday 20 December: 23rd moved off, 24–26 holidays, so + 1 = Friday
   * 27th; + 2 = Saturday 28th (the moved working day); then 29th Sunday, 30th moved off,
   * 31st and 1 January holidays, so + 3 = Thursday 2 January 2025. */
  c = add_days (calendar, 2024, 12, 20, 1);
  g_assert_cmpstr (c, ==, "2024-12-27");
  d = add_days (calendar, 2024, 12, 20, 2);
  g_assert_cmpstr (d, ==, "2024-12-28");
  e = add_days (calendar, 2024, 12, 20, 3);
  g_assert_cmpstr (e, ==, "2025-01-02");

  /* The 7-working-day answer deadline from Friday 19 December 2025: 22 (1), 23 (2), 24–28 off,
   * 29 (3), 30 (4), 31 Dec – 1 Jan holidays, 2 Jan moved off, 3–4 weekend, 5 (5), 6 (6),
   * 7 January 2026 (7). */
  f = add_days (calendar, 2025, 12, 19, 7);
  g_assert_cmpstr (f, ==, "2026-01-07");

  /* From Tuesday 23 December 2025: + 1 = Monday 29 December, + 3 = Monday 5 January 2026. */
  g = add_days (calendar, 2025, 12, 23, 1);
  g_assert_cmpstr (g, ==, "2025-12-29");
  h = add_days (calendar, 2025, 12, 23, 3);
  g_assert_cmpstr (h, ==, "2026-01-05");

  /* Easter 2025: Thursday 17 April + 1 = Tuesday 22 April. */
  i = add_days (calendar, 2025, 4, 17, 1);
  g_assert_cmpstr (i, ==, "2025-04-22");
}

static void
test_working_days_between (void)
{
  g_autoptr(KacCalendar) calendar = kac_calendar_new ();

  /* The same Christmas 2024 as above, counted the other way. */
  g_assert_cmpint (between (calendar, 2024, 12, 20, 2024, 12, 27), ==, 1);
  g_assert_cmpint (between (calendar, 2024, 12, 20, 2025, 1, 2), ==, 3);
  g_assert_cmpint (between (calendar, 2025, 1, 2, 2024, 12, 20), ==, -3);
  g_assert_cmpint (between (calendar, 2024, 12, 20, 2024, 12, 20), ==, 0);
  /* Ending on a day off counts the working days before it. */
  g_assert_cmpint (between (calendar, 2024, 12, 20, 2024, 12, 26), ==, 0);
  g_assert_cmpint (between (calendar, 2025, 12, 19, 2026, 1, 7), ==, 7);

  /* Round trips over a span of years: add n, then count n back. */
  for (guint n = 0; n < 600; n += 37)
    {
      GDate start, end;

      set_date (&start, 2024, 2, 29);
      end = start;
      kac_calendar_add_working_days (calendar, &end, n);
      g_assert_cmpint (kac_calendar_working_days_between (calendar, &start, &end), ==, (gint) n);
      g_assert_true (n == 0 || kac_calendar_is_working_day (calendar, &end));
    }
}

/* The data file */

static void
test_data_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCalendar) bare = NULL;
  g_autoptr(KacCalendar) calendar = NULL;
  const char *name = NULL;
  GDate date;

  /* Without the file's moves, 23 December 2024 is an ordinary Monday and 14 December an
   * ordinary Saturday: the compiled-in file is what makes the difference above. */
  bare = calendar_from_string ("{}", &error);
  g_assert_no_error (error);
  g_assert_true (working (bare, 2024, 12, 23));
  g_assert_false (working (bare, 2024, 12, 14));
  g_assert_false (working (bare, 2024, 12, 25));

  /* A replacement file, as the central system may send: a one-off holiday (an invented one,
   * Wednesday 8 September 2027) and a move from Friday 10 to Saturday 18 September 2027. */
  calendar = calendar_from_string (
    "{\"about\": \"test\", \"unknown\": 1,"
    " \"holidays\": [{\"date\": \"2027-09-08\", \"name_lv\": \"Testa svētki\", \"name_en\": \"Test Day\"}],"
    " \"moves\": [{\"day_off\": \"2027-09-10\", \"working_day\": \"2027-09-18\", \"source\": \"x\"}]}",
    &error);
  g_assert_no_error (error);
  g_assert_nonnull (calendar);

  g_assert_cmpstr (holiday_name (calendar, 2027, 9, 8), ==, "Test Day");
  g_setenv ("LANGUAGE", "lv", TRUE);
  set_date (&date, 2027, 9, 8);
  g_assert_true (kac_calendar_is_holiday (calendar, &date, &name));
  g_assert_cmpstr (name, ==, "Testa svētki");
  g_unsetenv ("LANGUAGE");

  /* From Tuesday 7 September: the 8th is the holiday, so + 1 = Thursday 9th; Friday 10th is
   * off and 11–12 a weekend, so + 2 = Monday 13th; 14–17 are 3…6 and Saturday 18th is 7. */
  {
    g_autofree char *one = add_days (calendar, 2027, 9, 7, 1);
    g_autofree char *two = add_days (calendar, 2027, 9, 7, 2);
    g_autofree char *seven = add_days (calendar, 2027, 9, 7, 7);

    g_assert_cmpstr (one, ==, "2027-09-09");
    g_assert_cmpstr (two, ==, "2027-09-13");
    g_assert_cmpstr (seven, ==, "2027-09-18");
  }
  /* The built-in 2024 moves are not in this file. */
  g_assert_true (working (calendar, 2024, 12, 23));
}

static void
test_data_file_invalid (void)
{
  static const char * const bad[] = {
    "",
    "not json",
    "[]",
    "{\"moves\": {}}",
    "{\"moves\": [1]}",
    "{\"moves\": [{\"day_off\": \"2025-02-29\", \"working_day\": \"2025-03-01\"}]}",
    "{\"moves\": [{\"day_off\": \"2025-2-28\", \"working_day\": \"2025-03-01\"}]}",
    "{\"moves\": [{\"day_off\": \"2025-02-28\"}]}",
    /* the day off is a Saturday */
    "{\"moves\": [{\"day_off\": \"2025-03-01\", \"working_day\": \"2025-03-08\"}]}",
    /* the day off is a holiday (Christmas Day 2025, a Thursday) */
    "{\"moves\": [{\"day_off\": \"2025-12-25\", \"working_day\": \"2025-12-20\"}]}",
    /* the working day is a weekday */
    "{\"moves\": [{\"day_off\": \"2025-03-07\", \"working_day\": \"2025-03-06\"}]}",
    /* the working day is a holiday on a Saturday (25 December 2027) */
    "{\"moves\": [{\"day_off\": \"2027-12-27\", \"working_day\": \"2027-12-25\"}]}",
    /* the working day is a one-off holiday of the same file */
    "{\"holidays\": [{\"date\": \"2025-03-08\", \"name_lv\": \"X\"}],"
    " \"moves\": [{\"day_off\": \"2025-03-07\", \"working_day\": \"2025-03-08\"}]}",
    /* a day moved twice */
    "{\"moves\": [{\"day_off\": \"2025-03-07\", \"working_day\": \"2025-03-08\"},"
    "             {\"day_off\": \"2025-03-06\", \"working_day\": \"2025-03-08\"}]}",
    /* holidays without a Latvian name, with an empty one, listed twice */
    "{\"holidays\": [{\"date\": \"2025-03-05\", \"name_en\": \"X\"}]}",
    "{\"holidays\": [{\"date\": \"2025-03-05\", \"name_lv\": \"\"}]}",
    "{\"holidays\": [{\"date\": \"2025-03-05\", \"name_lv\": 5}]}",
    "{\"holidays\": [{\"date\": \"2025-03-05\", \"name_lv\": \"X\"}, {\"date\": \"2025-03-05\", \"name_lv\": \"Y\"}]}",
    "{\"holidays\": [{\"date\": \"1200-03-05\", \"name_lv\": \"X\"}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KacCalendar) calendar = calendar_from_string (bad[i], &error);

      g_test_message ("document %u: %s", i, bad[i]);
      g_assert_null (calendar);
      g_assert_error (error, KAC_CALENDAR_ERROR, KAC_CALENDAR_ERROR_INVALID);
      g_assert_true (strlen (error->message) > 0);
    }

  /* Over a megabyte is refused before parsing. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *huge = g_strnfill (1024 * 1024 + 1, ' ');
    g_autoptr(KacCalendar) calendar = calendar_from_string (huge, &error);

    g_assert_null (calendar);
    g_assert_error (error, KAC_CALENDAR_ERROR, KAC_CALENDAR_ERROR_INVALID);
  }
}

/* Dates in Latvia */

static void
check_date_of (GTimeZone  *zone,
               const char *instant,
               const char *expected)
{
  g_autoptr(GDateTime) date_time = g_date_time_new_from_iso8601 (instant, NULL);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;
  g_autofree char *zone_text = NULL;
  GDate date;

  g_assert_nonnull (date_time);
  kac_calendar_date_of (date_time, &date);
  text = format_date (&date);
  g_assert_cmpstr (text, ==, expected);

  /* The built-in EU rule agrees with the tz database. */
  local = g_date_time_to_timezone (date_time, zone);
  zone_text = g_date_time_format (local, "%Y-%m-%d");
  g_assert_cmpstr (zone_text, ==, expected);
}

static void
test_date_of (void)
{
  g_autoptr(GTimeZone) rule = g_time_zone_new_identifier ("EET-2EEST,M3.5.0/3,M10.5.0/4");

  g_assert_nonnull (rule);
  g_assert_nonnull (kac_calendar_get_time_zone ());

  /* Winter: UTC+2. 22:00 UTC on 31 December is midnight in Riga. */
  check_date_of (rule, "2024-12-31T21:59:59Z", "2024-12-31");
  check_date_of (rule, "2024-12-31T22:00:00Z", "2025-01-01");
  /* Summer time starts on 31 March 2024 at 01:00 UTC; 22:30 UTC the evening before is still
   * winter time: 00:30 on the 31st. */
  check_date_of (rule, "2024-03-30T21:30:00Z", "2024-03-30");
  check_date_of (rule, "2024-03-30T22:30:00Z", "2024-03-31");
  /* Summer: UTC+3. 21:30 UTC on 30 June is 00:30 on 1 July; 20:30 UTC is still 30 June. */
  check_date_of (rule, "2024-06-30T21:30:00Z", "2024-07-01");
  check_date_of (rule, "2024-06-30T20:30:00Z", "2024-06-30");
  /* An instant given in another zone is the same instant. */
  check_date_of (rule, "2024-07-01T00:30:00+03:00", "2024-07-01");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calendar/easter", test_easter);
  g_test_add_func ("/calendar/holidays/2024", test_holidays_2024);
  g_test_add_func ("/calendar/holidays/2025", test_holidays_2025);
  g_test_add_func ("/calendar/holidays/2026", test_holidays_2026);
  g_test_add_func ("/calendar/holidays/2027", test_holidays_2027);
  g_test_add_func ("/calendar/weekend-moves", test_weekend_moves);
  g_test_add_func ("/calendar/add-working-days", test_add_working_days);
  g_test_add_func ("/calendar/working-days-between", test_working_days_between);
  g_test_add_func ("/calendar/data-file", test_data_file);
  g_test_add_func ("/calendar/data-file-invalid", test_data_file_invalid);
  g_test_add_func ("/calendar/date-of", test_date_of);

  return g_test_run ();
}
