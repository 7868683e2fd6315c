/* test-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This terminal's figures (kac_store_get_stats) on a seeded store, against figures counted by
 * hand below; the day boundaries in Latvia (also when the clocks change); withdrawn
 * registrations; the CSV file written and read back with both separators.
 */
#define G_LOG_DOMAIN "test-stats"

#include "config.h"

#include "kac-calendar.h"
#include "kac-stats-csv.h"
#include "kac-store-private.h"
#include "kac-store-stats.h"
#include "kac-test-util.h"

#include <string.h>

#include <locale.h>

/* Seeds */

/* Each row: uuid, kind, service, institution, channel, satisfaction, created_at (UTC), state.
 * Riga is UTC+2 in early March 2026 (summer time starts on 29 March). The comments give the
 * day in Latvia. */
static const char seed_records[] =
  "INSERT INTO records (uuid, kind, service_code, institution_code, channel, satisfaction,"
  "  created_at, updated_at, state) VALUES"
  /* 1 March 23:30: before the range. */
  " ('r0',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-01 21:30:00') * 1000000, 0, 'accepted'),"
  /* 2 March 00:30: the first half hour of the range. */
  " ('r8',  'consultation-eservices', 'VSAA-01', 'VSAA', 'electronic', 5, unixepoch ('2026-03-01 22:30:00') * 1000000, 0, 'accepted'),"
  /* 2 March. */
  " ('r1',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-02 07:00:00') * 1000000, 0, 'accepted'),"
  " ('r2',  'application', 'VSAA-01', 'VSAA', 'electronic', 4, unixepoch ('2026-03-02 08:00:00') * 1000000, 0, 'accepted'),"
  " ('r3',  'application', 'VID-01', 'VID', 'phone', 0, unixepoch ('2026-03-02 09:00:00') * 1000000, 0, 'queued'),"
  " ('r4',  'complaint', 'VID-01', 'VID', 'post', 1, unixepoch ('2026-03-02 10:00:00') * 1000000, 0, 'accepted'),"
  " ('r5',  'information', NULL, NULL, 'phone', 3, unixepoch ('2026-03-02 11:00:00') * 1000000, 0, 'rejected'),"
  " ('r6',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-02 12:00:00') * 1000000, 0, 'withdrawn'),"
  /* 3 March. */
  " ('r9',  'application', 'VID-01', 'VID', 'electronic', 2, unixepoch ('2026-03-03 07:00:00') * 1000000, 0, 'accepted'),"
  " ('r10', 'question', 'VSAA-01', 'VSAA', 'in-person', 0, unixepoch ('2026-03-03 08:00:00') * 1000000, 0, 'accepted'),"
  " ('r11', 'application', 'VSAA-01', 'VSAA', 'in-person', 0, unixepoch ('2026-03-03 09:00:00') * 1000000, 0, 'accepted'),"
  " ('r13', 'suggestion', 'VID-01', 'VID', 'post', 3, unixepoch ('2026-03-03 10:00:00') * 1000000, 0, 'sending'),"
  " ('r14', 'consultation-eaddress', NULL, NULL, 'electronic', 0, unixepoch ('2026-03-03 21:59:59') * 1000000, 0, 'accepted'),"
  " ('r15', 'complaint', 'VID-01', 'VID', 'phone', 1, unixepoch ('2026-03-03 13:00:00') * 1000000, 0, 'withdrawn'),"
  /* 4 March: nothing. 5 March 00:00: after the range. */
  " ('r12', 'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-04 22:00:00') * 1000000, 0, 'accepted');"
  /* Central statuses. r1: completed on 10 March in Latvia (9 March in UTC), due 9 March:
   * delayed. r2: forwarded, due 3 March, not completed by 5 March: delayed. r9: completed
   * 4 March, due 5 March: in time. r11: registered, due 5 March: not yet delayed on 5 March.
   * r6 (withdrawn) would be delayed but does not count. r0 is outside the range. */
  "INSERT INTO application_status (uuid, central_number, status, changed_at, due_date) VALUES"
  " ('r1',  'C-1', 'completed', unixepoch ('2026-03-09 22:30:00') * 1000000, '2026-03-09'),"
  " ('r2',  'C-2', 'forwarded', unixepoch ('2026-03-02 09:00:00') * 1000000, '2026-03-03'),"
  " ('r9',  'C-9', 'completed', unixepoch ('2026-03-04 08:00:00') * 1000000, '2026-03-05'),"
  " ('r11', 'C-11', 'registered', unixepoch ('2026-03-03 09:30:00') * 1000000, '2026-03-05'),"
  " ('r6',  'C-6', 'forwarded', unixepoch ('2026-03-02 12:30:00') * 1000000, '2026-03-02'),"
  " ('r0',  'C-0', 'forwarded', unixepoch ('2026-03-02 12:30:00') * 1000000, '2026-03-02');";

/* A catalogue whose VSAA-01 has a name with a quote, a semicolon and a comma. */
static const char test_catalog[] =
  "{\"sample\": true,"
  " \"institutions\": ["
  "  {\"code\": \"VSAA\", \"name_lv\": \"Valsts sociālās apdrošināšanas aģentūra\", \"name_en\": \"State Social Insurance Agency\"},"
  "  {\"code\": \"VID\", \"name_lv\": \"Valsts ieņēmumu dienests\", \"name_en\": \"State Revenue Service\"}],"
  " \"services\": ["
  "  {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"catalog_id\": null,"
  "   \"name_lv\": \"Pabalsts \\\"Bērns\\\"; ģimene, 2\", \"name_en\": \"Benefit\", \"sample\": true},"
  "  {\"code\": \"VID-01\", \"institution\": \"VID\", \"catalog_id\": null,"
  "   \"name_lv\": \"Deklarācija\", \"name_en\": \"Return\", \"sample\": true}]}";

static void
set_date (GDate *date,
          guint  year,
          guint  month,
          guint  day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static KacStore *
open_seeded_store (KacTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (fixture->path, &error);

  g_assert_no_error (error);
  kac_test_exec_sql (_kac_store_get_db (store), seed_records);
  return g_steal_pointer (&store);
}

/* Expected figures, written out: cases, by kind (application, information, consultation
 * e-services, consultation e-address, complaint, question, suggestion), by channel (in person,
 * phone, electronic, post), delayed, satisfaction 1…5. */
static void
assert_figures (const KacWireFigures *figures,
                gint64                cases,
                const gint64          by_kind[7],
                const gint64          by_channel[4],
                gint64                delayed,
                const gint64          satisfaction[5])
{
  g_assert_cmpint (figures->cases, ==, cases);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpint (figures->by_kind[i], ==, by_kind[i]);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (figures->by_channel[i], ==, by_channel[i]);
  g_assert_cmpint (figures->delayed, ==, delayed);
  g_assert_cmpint (figures->complaints, ==, by_kind[KAC_RECORD_KIND_COMPLAINT]);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (figures->satisfaction[i], ==, satisfaction[i]);
}

/* Tests */

static void
test_stats_seeded (KacTestFixture *fixture,
                   gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = open_seeded_store (fixture);
  g_autoptr(KacWireStats) stats = NULL;
  KacWireStatsGroup *group;
  GDate from, to, as_of;

  set_date (&from, 2026, 3, 2);
  set_date (&to, 2026, 3, 4);
  set_date (&as_of, 2026, 3, 5);

  stats = kac_store_get_stats (store, "centre-1", "Ādažu KAC", &from, &to, &as_of, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);
  g_assert_cmpstr (stats->centre_name, ==, "Ādažu KAC");

  /* Totals: r8 r1 r2 r3 r4 r5 (2 March), r9 r10 r11 r13 r14 (3 March); r6 and r15 withdrawn,
   * r0 and r12 outside. Ratings 5 5 4 1 3 2 3; delayed r1 and r2. */
  assert_figures (&stats->totals, 11,
                  (gint64[]) { 5, 1, 1, 1, 1, 1, 1 },
                  (gint64[]) { 3, 2, 4, 2 },
                  2,
                  (gint64[]) { 1, 1, 2, 1, 2 });
  g_assert_cmpint (kac_wire_figures_get_answers (&stats->totals), ==, 7);
  g_assert_cmpfloat_with_epsilon (kac_wire_figures_get_average (&stats->totals), 23.0 / 7.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (kac_wire_figures_get_electronic_share (&stats->totals),
                                  4.0 / 11.0, 1e-9);

  /* Days: every day of the range, the empty 4 March too. */
  g_assert_cmpuint (stats->days->len, ==, 3);
  assert_figures (&g_array_index (stats->days, KacWireStatsDay, 0).figures, 6,
                  (gint64[]) { 3, 1, 1, 0, 1, 0, 0 },
                  (gint64[]) { 1, 2, 2, 1 },
                  2,
                  (gint64[]) { 1, 0, 1, 1, 2 });
  assert_figures (&g_array_index (stats->days, KacWireStatsDay, 1).figures, 5,
                  (gint64[]) { 2, 0, 0, 1, 0, 1, 1 },
                  (gint64[]) { 2, 0, 2, 1 },
                  0,
                  (gint64[]) { 0, 1, 1, 0, 0 });
  assert_figures (&g_array_index (stats->days, KacWireStatsDay, 2).figures, 0,
                  (gint64[]) { 0, 0, 0, 0, 0, 0, 0 },
                  (gint64[]) { 0, 0, 0, 0 },
                  0,
                  (gint64[]) { 0, 0, 0, 0, 0 });
  g_assert_cmpint (g_date_get_day (&g_array_index (stats->days, KacWireStatsDay, 2).date), ==, 4);

  /* Services, by code (none first). */
  g_assert_cmpuint (stats->services->len, ==, 3);
  group = g_ptr_array_index (stats->services, 0);
  g_assert_null (group->service_code);
  g_assert_null (group->institution_code);
  assert_figures (&group->figures, 2,
                  (gint64[]) { 0, 1, 0, 1, 0, 0, 0 },
                  (gint64[]) { 0, 1, 1, 0 },
                  0,
                  (gint64[]) { 0, 0, 1, 0, 0 });
  group = g_ptr_array_index (stats->services, 1);
  g_assert_cmpstr (group->service_code, ==, "VID-01");
  g_assert_cmpstr (group->institution_code, ==, "VID");
  assert_figures (&group->figures, 4,
                  (gint64[]) { 2, 0, 0, 0, 1, 0, 1 },
                  (gint64[]) { 0, 1, 1, 2 },
                  0,
                  (gint64[]) { 1, 1, 1, 0, 0 });
  group = g_ptr_array_index (stats->services, 2);
  g_assert_cmpstr (group->service_code, ==, "VSAA-01");
  assert_figures (&group->figures, 5,
                  (gint64[]) { 3, 0, 1, 0, 0, 1, 0 },
                  (gint64[]) { 3, 0, 2, 0 },
                  2,
                  (gint64[]) { 0, 0, 0, 1, 2 });

  /* Institutions: the same groups here, one service each. */
  g_assert_cmpuint (stats->institutions->len, ==, 3);
  group = g_ptr_array_index (stats->institutions, 0);
  g_assert_null (group->service_code);
  g_assert_null (group->institution_code);
  g_assert_cmpint (group->figures.cases, ==, 2);
  group = g_ptr_array_index (stats->institutions, 1);
  g_assert_cmpstr (group->institution_code, ==, "VID");
  g_assert_cmpint (group->figures.cases, ==, 4);
  group = g_ptr_array_index (stats->institutions, 2);
  g_assert_cmpstr (group->institution_code, ==, "VSAA");
  g_assert_cmpint (group->figures.cases, ==, 5);
  g_assert_cmpint (group->figures.delayed, ==, 2);

  /* Judged on 4 March, r2 (due 3 March) is delayed, r1 (completed late) too; on 3 March only
   * r1 (its lateness does not depend on the day it is judged). */
  g_clear_pointer (&stats, kac_wire_stats_free);
  set_date (&as_of, 2026, 3, 3);
  stats = kac_store_get_stats (store, "centre-1", "Ādažu KAC", &from, &to, &as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.delayed, ==, 1);

  /* The one day 3 March. */
  g_clear_pointer (&stats, kac_wire_stats_free);
  set_date (&from, 2026, 3, 3);
  set_date (&to, 2026, 3, 3);
  set_date (&as_of, 2026, 3, 5);
  stats = kac_store_get_stats (store, "centre-1", "Ādažu KAC", &from, &to, &as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.cases, ==, 5);
  g_assert_cmpuint (stats->days->len, ==, 1);
  g_assert_cmpuint (stats->services->len, ==, 3);
}

/* 29 March 2026: the clocks go from 03:00 EET to 04:00 EEST, a day of 23 hours. */
static void
test_stats_summer_time (KacTestFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (fixture->path, &error);
  g_autoptr(KacWireStats) stats = NULL;
  GDate from, to;

  g_assert_no_error (error);
  kac_test_exec_sql (_kac_store_get_db (store),
    "INSERT INTO records (uuid, kind, channel, created_at, updated_at, state) VALUES"
    " ('a', 'information', 'phone', unixepoch ('2026-03-28 21:59:59') * 1000000, 0, 'accepted'),"  /* 28th 23:59 EET */
    " ('b', 'information', 'phone', unixepoch ('2026-03-28 22:00:00') * 1000000, 0, 'accepted'),"  /* 29th 00:00 EET */
    " ('c', 'information', 'phone', unixepoch ('2026-03-29 20:59:59') * 1000000, 0, 'accepted'),"  /* 29th 23:59 EEST */
    " ('d', 'information', 'phone', unixepoch ('2026-03-29 21:00:00') * 1000000, 0, 'accepted'),"  /* 30th 00:00 EEST */
    " ('e', 'information', 'phone', unixepoch ('2026-03-30 20:59:59') * 1000000, 0, 'accepted'),"  /* 30th 23:59 EEST */
    " ('f', 'information', 'phone', unixepoch ('2026-03-30 21:00:00') * 1000000, 0, 'accepted');"); /* 31st */

  set_date (&from, 2026, 3, 29);
  set_date (&to, 2026, 3, 30);
  stats = kac_store_get_stats (store, "c", "C", &from, &to, &to, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.cases, ==, 4);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 0).figures.cases, ==, 2);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 1).figures.cases, ==, 2);
}

/* Through the store's own API: a registration saved now counts today, and not once withdrawn. */
static void
test_stats_saved_and_withdrawn (KacTestFixture *fixture,
                                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (fixture->path, &error);
  g_autoptr(KacRecord) record = kac_test_make_application ("anna", "centre-1");
  g_autoptr(KacWireStats) stats = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate today;

  g_assert_no_error (error);
  kac_calendar_date_of (now, &today);

  g_assert_true (kac_store_save_record (store, record, &error));
  g_assert_no_error (error);
  stats = kac_store_get_stats (store, NULL, NULL, &today, &today, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.cases, ==, 1);
  g_assert_cmpint (stats->totals.by_kind[KAC_RECORD_KIND_APPLICATION], ==, 1);
  g_assert_cmpint (stats->totals.by_channel[KAC_CHANNEL_IN_PERSON], ==, 1);
  g_assert_cmpuint (stats->services->len, ==, 1);

  g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (record), &error));
  g_assert_no_error (error);
  g_clear_pointer (&stats, kac_wire_stats_free);
  stats = kac_store_get_stats (store, NULL, NULL, &today, &today, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.cases, ==, 0);
  g_assert_cmpuint (stats->services->len, ==, 0);
  g_assert_cmpuint (stats->days->len, ==, 1);
}

/* The daily table (migration 5) against a count over the records, both as text lines; @offset
 * is the hours of Latvia's offset from UTC for every record of the test. */
static void
assert_daily_equals_recount (KacStore *store,
                             int       offset)
{
  g_autofree char *recount_sql = g_strdup_printf (
    "SELECT group_concat (line, char (10)) FROM (SELECT day || '|' || service || '|' || institution"
    " || '|' || n || '|' || a || '|' || i || '|' || ce || '|' || ca || '|' || c || '|' || q || '|' || s"
    " || '|' || p || '|' || ph || '|' || e || '|' || po || '|' || s1 || '|' || s2 || '|' || s3"
    " || '|' || s4 || '|' || s5 AS line FROM (SELECT"
    " date (created_at / 1000000, 'unixepoch', '+%d hours') AS day,"
    " coalesce (service_code, '') AS service, coalesce (institution_code, '') AS institution,"
    " count(*) AS n, sum(kind = 'application') AS a, sum(kind = 'information') AS i,"
    " sum(kind = 'consultation-eservices') AS ce, sum(kind = 'consultation-eaddress') AS ca,"
    " sum(kind = 'complaint') AS c, sum(kind = 'question') AS q, sum(kind = 'suggestion') AS s,"
    " sum(channel = 'in-person') AS p, sum(channel = 'phone') AS ph,"
    " sum(channel = 'electronic') AS e, sum(channel = 'post') AS po,"
    " sum(satisfaction = 1) AS s1, sum(satisfaction = 2) AS s2, sum(satisfaction = 3) AS s3,"
    " sum(satisfaction = 4) AS s4, sum(satisfaction = 5) AS s5"
    " FROM records WHERE state != 'withdrawn' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3))", offset);
  static const char daily_sql[] =
    "SELECT group_concat (line, char (10)) FROM (SELECT day || '|' || service_code || '|' ||"
    " institution_code || '|' || cases || '|' || application || '|' || information || '|' ||"
    " consultation_eservices || '|' || consultation_eaddress || '|' || complaint || '|' ||"
    " question || '|' || suggestion || '|' || in_person || '|' || phone || '|' || electronic"
    " || '|' || post || '|' || satisfaction_1 || '|' || satisfaction_2 || '|' || satisfaction_3"
    " || '|' || satisfaction_4 || '|' || satisfaction_5 AS line FROM stats_daily"
    " ORDER BY day, service_code, institution_code)";
  g_autofree char *recount = kac_test_query_text (kac_store_get_path (store), recount_sql);
  g_autofree char *daily = kac_test_query_text (kac_store_get_path (store), daily_sql);

  g_assert_cmpstr (daily, ==, recount);
  /* A group that lost its last registration is gone, not left at zero. */
  g_assert_cmpint (kac_test_query_int (kac_store_get_path (store),
                                       "SELECT count(*) FROM stats_daily WHERE cases <= 0"), ==, 0);
}

/* Saves, corrections that move a registration to another service, kind, channel or rating,
 * withdrawals, the sync engine's state changes and raw writes on a second connection: after
 * each the daily table equals a full count, and so do the figures read from it. */
static void
test_stats_daily_follows_changes (KacTestFixture *fixture,
                                  gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (fixture->path, &error);
  g_autoptr(KacService) other = kac_service_new ("VID-01", "VID", "Valsts ieņēmumu dienests",
                                                 "Deklarācija", "Return", NULL, TRUE);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) riga_now = g_date_time_to_timezone (now, kac_calendar_get_time_zone ());
  int offset = (int) (g_date_time_get_utc_offset (riga_now) / G_TIME_SPAN_HOUR);
  g_autofree char *sql = NULL;
  g_autoptr(KacWireStats) stats = NULL;
  GDate today;

  g_assert_no_error (error);
  kac_calendar_date_of (now, &today);

  for (guint i = 0; i < 6; i++)
    {
      KacRecord *record = kac_test_make_application ("anna", "centre-1");

      kac_record_set_satisfaction (record, i % 6);
      g_assert_true (kac_store_save_record (store, record, &error));
      g_assert_no_error (error);
      g_ptr_array_add (records, record);
    }
  assert_daily_equals_recount (store, offset);

  /* Corrections: another service, another kind and channel, another rating, all at once. */
  kac_record_set_service (records->pdata[0], other);
  g_assert_true (kac_store_save_record (store, records->pdata[0], &error));
  assert_daily_equals_recount (store, offset);
  kac_record_set_kind (records->pdata[1], KAC_RECORD_KIND_INFORMATION);
  kac_record_set_channel (records->pdata[1], KAC_CHANNEL_PHONE);
  g_assert_true (kac_store_save_record (store, records->pdata[1], &error));
  assert_daily_equals_recount (store, offset);
  kac_record_set_satisfaction (records->pdata[2], 5);
  kac_record_set_service (records->pdata[2], other);
  kac_record_set_channel (records->pdata[2], KAC_CHANNEL_POST);
  g_assert_true (kac_store_save_record (store, records->pdata[2], &error));
  g_assert_no_error (error);
  assert_daily_equals_recount (store, offset);

  /* Withdrawals: out of the count, and the emptied group is gone. */
  g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (records->pdata[0]), &error));
  assert_daily_equals_recount (store, offset);
  g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (records->pdata[2]), &error));
  g_assert_no_error (error);
  assert_daily_equals_recount (store, offset);
  g_assert_cmpint (kac_test_query_int (fixture->path,
                                       "SELECT count(*) FROM stats_daily WHERE service_code = 'VID-01'"), ==, 0);

  /* State changes that do not move a registration out of the count, a raw withdrawal and a
   * raw return from withdrawn (a hand-edited file), on the store's and another connection. */
  sql = g_strdup_printf ("UPDATE records SET state = 'sending' WHERE uuid = '%s';"
                         "UPDATE records SET state = 'accepted' WHERE uuid = '%s';"
                         "UPDATE records SET state = 'withdrawn' WHERE uuid = '%s';",
                         kac_record_get_uuid (records->pdata[3]), kac_record_get_uuid (records->pdata[3]),
                         kac_record_get_uuid (records->pdata[4]));
  kac_test_exec_sql (_kac_store_get_db (store), sql);
  assert_daily_equals_recount (store, offset);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE records SET state = 'rejected', satisfaction = 1 WHERE uuid = '%s';",
                         kac_record_get_uuid (records->pdata[0]));
  kac_test_exec_sql_on_file (fixture->path, sql);
  assert_daily_equals_recount (store, offset);

  /* The figures read from the table agree with the count: 6 saved, 2 withdrawn through the
   * store, one raw, one back from withdrawn. */
  stats = kac_store_get_stats (store, NULL, NULL, &today, &today, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.cases, ==, 4);
  g_assert_cmpint (stats->totals.by_kind[KAC_RECORD_KIND_INFORMATION], ==, 1);
  g_assert_cmpint (stats->totals.by_channel[KAC_CHANNEL_PHONE], ==, 1);
  g_assert_cmpint (stats->totals.satisfaction[0], ==, 2);
  g_assert_cmpuint (stats->services->len, ==, 2);
}

/* The day in Latvia that the store's triggers work out in plain SQL (migration 5) is the one
 * the time zone database gives, around every change of the clocks from 2015 to 2037, at
 * midnights, and at a thousand random instants. */
static void
test_stats_daily_day_in_latvia (KacTestFixture *fixture,
                                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (fixture->path, &error);
  g_autoptr(GArray) instants = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (402);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  static const gint64 around[] = { -3601, -3600, -1, 0, 1, 3599, 3600 };

  g_assert_no_error (error);
  db = _kac_store_get_db (store);

  for (int year = 2015; year <= 2037; year++)
    for (guint month = 1; month <= 12; month++)
      {
        g_autoptr(GDateTime) first = g_date_time_new (kac_calendar_get_time_zone (), year, month, 1, 0, 0, 0);

        /* Midnights in Latvia, and every hour of the last week of March and October. */
        for (guint i = 0; i < G_N_ELEMENTS (around); i++)
          {
            gint64 usec = (g_date_time_to_unix (first) + around[i]) * G_USEC_PER_SEC;
            g_array_append_val (instants, usec);
          }
        if (month == 3 || month == 10)
          for (int hour = 24 * 24; hour < 24 * 31 + 24; hour++)
            for (int second = -1; second <= 0; second++)
              {
                gint64 usec = (g_date_time_to_unix (first) + (gint64) hour * 3600 + second) * G_USEC_PER_SEC;
                g_array_append_val (instants, usec);
              }
      }
  for (guint i = 0; i < 1000; i++)
    {
      gint64 usec = (gint64) g_rand_double_range (rand, 1420070400.0, 2145916800.0) * G_USEC_PER_SEC;
      g_array_append_val (instants, usec);
    }

  kac_test_exec_sql (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO records (uuid, kind, service_code, channel, created_at,"
                                       " updated_at, state) VALUES (?1, 'information', ?1, 'phone', ?2, 0, 'accepted')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < instants->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("i%06u", i);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, g_array_index (instants, gint64, i));
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  kac_test_exec_sql (db, "COMMIT");

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT service_code, day FROM stats_daily", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint n = 0; sqlite3_step (stmt) == SQLITE_ROW; n++)
    {
      guint i = (guint) g_ascii_strtoull ((const char *) sqlite3_column_text (stmt, 0) + 1, NULL, 10);
      gint64 usec = g_array_index (instants, gint64, i);
      g_autoptr(GDateTime) instant = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
      char expected[11];
      GDate date;

      kac_calendar_date_of (instant, &date);
      g_snprintf (expected, sizeof expected, "%04u-%02u-%02u", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date));
      if (g_strcmp0 (expected, (const char *) sqlite3_column_text (stmt, 1)) != 0)
        g_test_message ("instant %" G_GINT64_FORMAT " s", usec / G_USEC_PER_SEC);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, expected);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM stats_daily"), ==, instants->len);
}

static void
test_stats_bad_range (KacTestFixture *fixture,
                      gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (fixture->path, &error);
  g_autoptr(KacWireStats) stats = NULL;
  GDate from, to;

  g_assert_no_error (error);
  set_date (&from, 2026, 3, 5);
  set_date (&to, 2026, 3, 4);
  stats = kac_store_get_stats (store, "c", "C", &from, &to, &to, &error);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID);
  g_assert_null (stats);
  g_clear_error (&error);

  set_date (&from, 2020, 1, 1);
  set_date (&to, 2026, 1, 1);
  stats = kac_store_get_stats (store, "c", "C", &from, &to, &to, &error);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID);
  g_assert_null (stats);
}

/* CSV */

/* An RFC 4180 reader: rows of fields, CRLF line ends, quoted fields with doubled quotes. */
static GPtrArray *
parse_csv (const char *text,
           char        separator)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          /* A quoted field runs to the quote that is not doubled. */
          g_assert_cmpuint (field->len, ==, 0);
          for (p++;; p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
          g_assert_true (*p == separator || *p == '\r');
        }
      else if (*p == separator)
        {
          g_ptr_array_add (row, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          g_ptr_array_add (row, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, g_steal_pointer (&row));
          row = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        {
          g_assert_cmpint (*p, !=, '\n');
          g_string_append_c (field, *p++);
        }
    }

  /* Every line ends with CRLF: nothing is left over. */
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (row->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (row);
  return rows;
}

static const char *
cell (GPtrArray *rows,
      guint      row,
      guint      column)
{
  GPtrArray *fields = g_ptr_array_index (rows, row);

  g_assert_cmpuint (column, <, fields->len);
  return g_ptr_array_index (fields, column);
}

static void
check_csv (KacTestFixture *fixture,
           char            separator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = open_seeded_store (fixture);
  g_autoptr(GBytes) json = g_bytes_new_static (test_catalog, strlen (test_catalog));
  g_autoptr(KacCatalog) catalog = kac_catalog_new_from_bytes (json, &error);
  g_autoptr(KacWireStats) stats = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "figures.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint n_columns;
  GDate from, to, as_of;
  gsize length;

  g_assert_no_error (error);
  set_date (&from, 2026, 3, 2);
  set_date (&to, 2026, 3, 4);
  set_date (&as_of, 2026, 3, 5);
  stats = kac_store_get_stats (store, "centre-1", "Centrs \"Ādaži\"; Nr. 1", &from, &to, &as_of,
                               &error);
  g_assert_no_error (error);

  g_assert_true (kac_stats_write_csv (stats, catalog, separator, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, length, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));

  rows = parse_csv (contents + 3, separator);

  /* Header, total, 3 institutions, 3 services, 3 days; every row as wide as the header:
   * section, code, name, cases, 7 kinds, 4 channels, delayed, answers, average, 5 ratings,
   * electronic share. */
  g_assert_cmpuint (rows->len, ==, 1 + 1 + 3 + 3 + 3);
  n_columns = ((GPtrArray *) g_ptr_array_index (rows, 0))->len;
  g_assert_cmpuint (n_columns, ==, 3 + 1 + 7 + 4 + 1 + 1 + 1 + 5 + 1);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, i))->len, ==, n_columns);

  g_assert_cmpstr (cell (rows, 0, 3), ==, "Cases");
  g_assert_cmpstr (cell (rows, 1, 1), ==, "centre-1");
  g_assert_cmpstr (cell (rows, 1, 2), ==, "Centrs \"Ādaži\"; Nr. 1");
  g_assert_cmpstr (cell (rows, 1, 3), ==, "11");
  g_assert_cmpstr (cell (rows, 1, 15), ==, "2");   /* delayed */
  g_assert_cmpstr (cell (rows, 1, 16), ==, "7");   /* answers */
  g_assert_cmpstr (cell (rows, 1, 17), ==, separator == ';' ? "3,29" : "3.29");
  g_assert_cmpstr (cell (rows, 1, 23), ==, separator == ';' ? "36,4" : "36.4");

  /* Institutions: none, VID, VSAA with its catalogue name. */
  g_assert_cmpstr (cell (rows, 2, 1), ==, "");
  g_assert_cmpstr (cell (rows, 3, 1), ==, "VID");
  g_assert_cmpstr (cell (rows, 4, 2), ==, "Valsts sociālās apdrošināšanas aģentūra");

  /* The service whose name needs quoting, with its figures. */
  g_assert_cmpstr (cell (rows, 7, 1), ==, "VSAA-01");
  g_assert_cmpstr (cell (rows, 7, 2), ==, "Pabalsts \"Bērns\"; ģimene, 2");
  g_assert_cmpstr (cell (rows, 7, 3), ==, "5");
  g_assert_cmpstr (cell (rows, 7, 4), ==, "3");    /* applications */
  g_assert_cmpstr (cell (rows, 7, 11), ==, "3");   /* in person */

  /* Days. */
  g_assert_cmpstr (cell (rows, 8, 1), ==, "2026-03-02");
  g_assert_cmpstr (cell (rows, 8, 3), ==, "6");
  g_assert_cmpstr (cell (rows, 10, 1), ==, "2026-03-04");
  g_assert_cmpstr (cell (rows, 10, 3), ==, "0");
  g_assert_cmpstr (cell (rows, 10, 17), ==, "");   /* no average without answers */
}

static void
test_stats_csv_comma (KacTestFixture *fixture,
                      gconstpointer   data)
{
  check_csv (fixture, ',');
}

static void
test_stats_csv_semicolon (KacTestFixture *fixture,
                          gconstpointer   data)
{
  check_csv (fixture, ';');
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, KacTestFixture, NULL, kac_test_fixture_set_up, func, kac_test_fixture_tear_down)

  ADD ("/stats/seeded", test_stats_seeded);
  ADD ("/stats/summer-time", test_stats_summer_time);
  ADD ("/stats/saved-and-withdrawn", test_stats_saved_and_withdrawn);
  ADD ("/stats/bad-range", test_stats_bad_range);
  ADD ("/stats/daily/follows-changes", test_stats_daily_follows_changes);
  ADD ("/stats/daily/day-in-latvia", test_stats_daily_day_in_latvia);
  ADD ("/stats/csv/comma", test_stats_csv_comma);
  ADD ("/stats/csv/semicolon", test_stats_csv_semicolon);

  return g_test_run ();
}
