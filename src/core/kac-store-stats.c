/* kac-store-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This terminal's figures as SQL aggregates over its own store, in one read transaction. The
 * store has no column for the day in Latvia (its schema belongs to the migrations in
 * kac-store.c), so the day boundaries of the range are worked out once in Latvia's time zone
 * (a day is 23 or 25 hours long when the clocks change): a GROUP BY by service for each day,
 * and one query for the delays, driven by the small status table, whose day comes from a
 * small SQL function that looks the instant up among those boundaries. The services, the
 * institutions, the days and the totals are sums of the same (day, service) groups, so they
 * always agree.
 */
#define G_LOG_DOMAIN "kac-store"

#include "config.h"

#include "kac-store-stats.h"
#include "kac-store-private.h"
#include "kac-calendar.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* The columns of KacWireFigures that one pass over the records gives, in its order (the
 * delays come from a second query, driven by the small status table). */
#define FIGURES_COLUMNS \
  "count(*), " \
  "sum(kind = 'application'), sum(kind = 'information'), " \
  "sum(kind = 'consultation-eservices'), sum(kind = 'consultation-eaddress'), " \
  "sum(kind = 'complaint'), sum(kind = 'question'), sum(kind = 'suggestion'), " \
  "sum(channel = 'in-person'), sum(channel = 'phone'), sum(channel = 'electronic'), " \
  "sum(channel = 'post'), " \
  "sum(satisfaction = 1), sum(satisfaction = 2), sum(satisfaction = 3), " \
  "sum(satisfaction = 4), sum(satisfaction = 5)"

#define N_FIGURES_COLUMNS (1 + KAC_RECORD_KIND_N_VALUES + KAC_CHANNEL_N_VALUES + 5)

/* One day at a time (?1 ≤ created_at < ?2, on the created_at index): SQLite groups a day's
 * rows in memory, where one GROUP BY over a year would sort every row of the year in a
 * temporary b-tree (measured: about four times slower on 500,000 registrations). Withdrawn
 * registrations do not count. */
#define DAY_BY_SERVICE_SQL \
  "SELECT service_code, institution_code, " FIGURES_COLUMNS \
  " FROM records WHERE created_at >= ?1 AND created_at < ?2 AND state != 'withdrawn'" \
  " GROUP BY service_code, institution_code"

/* Delayed applications of the range by day and service: an application with a due date that
 * was completed after that day (in Latvia), or is not completed and the day is before ?3. */
#define DELAYED_SQL \
  "SELECT kac_stats_day (r.created_at) AS day, r.service_code, r.institution_code, count(*)" \
  " FROM application_status s JOIN records r ON r.uuid = s.uuid" \
  " WHERE r.created_at >= ?1 AND r.created_at < ?2 AND r.state != 'withdrawn'" \
  "   AND r.kind = 'application' AND s.due_date IS NOT NULL" \
  "   AND CASE WHEN s.status = 'completed' THEN kac_stats_date (s.changed_at) > s.due_date" \
  "       ELSE s.due_date < ?3 END" \
  " GROUP BY day, r.service_code, r.institution_code"

G_STATIC_ASSERT (KAC_RECORD_KIND_N_VALUES == 7);
G_STATIC_ASSERT (KAC_CHANNEL_N_VALUES == 4);

typedef struct
{
  gint64 *starts;   /* n_days + 1 instants (µs since the epoch): the start of each day and the
                     * end of the last */
  guint   n_days;
} DayBounds;

/* The SQL functions */

/* kac_stats_day (µs): the index of the day of the range the instant falls on, or NULL. */
static void
stats_day_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  const DayBounds *bounds = sqlite3_user_data (context);
  gint64 usec = sqlite3_value_int64 (argv[0]);
  guint low = 0, high = bounds->n_days;

  if (usec < bounds->starts[0] || usec >= bounds->starts[bounds->n_days])
    {
      sqlite3_result_null (context);
      return;
    }

  /* The last day whose start is not after the instant. */
  while (high - low > 1)
    {
      guint middle = low + (high - low) / 2;

      if (bounds->starts[middle] <= usec)
        low = middle;
      else
        high = middle;
    }

  sqlite3_result_int (context, (int) low);
}

/* kac_stats_date (µs): the day in Latvia ("YYYY-MM-DD") of an instant. */
static void
stats_date_function (sqlite3_context  *context,
                     int               argc,
                     sqlite3_value   **argv)
{
  g_autoptr(GDateTime) instant = NULL;
  char text[11];
  GDate date;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL
      || (instant = g_date_time_new_from_unix_utc (sqlite3_value_int64 (argv[0]) / G_USEC_PER_SEC)) == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  kac_calendar_date_of (instant, &date);
  g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  sqlite3_result_text (context, text, -1, SQLITE_TRANSIENT);
}

/* Helpers */

static gint64
local_midnight_usec (const GDate *date)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (kac_calendar_get_time_zone (),
                                                   g_date_get_year (date),
                                                   g_date_get_month (date),
                                                   g_date_get_day (date), 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

static void
format_day (const GDate *date,
            char         text[11])
{
  g_snprintf (text, 11, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

static void
read_figures (sqlite3_stmt   *stmt,
              int             first,
              KacWireFigures *figures)
{
  int column = first;

  figures->cases = sqlite3_column_int64 (stmt, column++);
  for (guint i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    figures->by_kind[i] = sqlite3_column_int64 (stmt, column++);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    figures->by_channel[i] = sqlite3_column_int64 (stmt, column++);
  for (guint i = 0; i < 5; i++)
    figures->satisfaction[i] = sqlite3_column_int64 (stmt, column++);
  figures->complaints = figures->by_kind[KAC_RECORD_KIND_COMPLAINT];

  g_assert (column == first + N_FIGURES_COLUMNS);
}

static void
add_figures (KacWireFigures       *sum,
             const KacWireFigures *figures)
{
  sum->cases += figures->cases;
  for (guint i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    sum->by_kind[i] += figures->by_kind[i];
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    sum->by_channel[i] += figures->by_channel[i];
  sum->delayed += figures->delayed;
  sum->complaints += figures->complaints;
  for (guint i = 0; i < 5; i++)
    sum->satisfaction[i] += figures->satisfaction[i];
}

/* The group of @groups for the codes (either may be NULL), made when missing; @index maps
 * "service\x1finstitution" (with "\x1e" for NULL) to the group. */
static KacWireStatsGroup *
ensure_group (GPtrArray   *groups,
              GHashTable  *index,
              const char  *service_code,
              const char  *institution_code)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s", service_code != NULL ? service_code : "\x1e",
                                          institution_code != NULL ? institution_code : "\x1e");
  KacWireStatsGroup *group = g_hash_table_lookup (index, key);

  if (group == NULL)
    {
      group = kac_wire_stats_add_group (groups, service_code, institution_code);
      g_hash_table_insert (index, g_steal_pointer (&key), group);
    }

  return group;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const KacWireStatsGroup *group_a = *(const KacWireStatsGroup **) a;
  const KacWireStatsGroup *group_b = *(const KacWireStatsGroup **) b;
  int result;

  /* NULL (registrations without a service or institution) first, as SQLite orders them. */
  result = g_strcmp0 (group_a->service_code, group_b->service_code);
  if (result == 0)
    result = g_strcmp0 (group_a->institution_code, group_b->institution_code);

  return result;
}

static gboolean
step_failed (KacStore      *self,
             sqlite3_stmt  *stmt,
             int            rc,
             GError       **error)
{
  sqlite3_finalize (stmt);
  _kac_store_set_error (self, error, rc, FALSE);
  return FALSE;
}

static gboolean
compute (KacStore         *self,
         KacWireStats     *stats,
         const DayBounds  *bounds,
         GError          **error)
{
  sqlite3 *db = _kac_store_get_db (self);
  g_autoptr(GHashTable) services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) institutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  char as_of[11];
  int rc;

  format_day (&stats->as_of, as_of);

  rc = sqlite3_prepare_v2 (db, DAY_BY_SERVICE_SQL, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return step_failed (self, stmt, rc, error);

  for (guint day = 0; day < bounds->n_days; day++)
    {
      KacWireFigures *day_figures = &g_array_index (stats->days, KacWireStatsDay, day).figures;

      sqlite3_bind_int64 (stmt, 1, bounds->starts[day]);
      sqlite3_bind_int64 (stmt, 2, bounds->starts[day + 1]);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *service_code = (const char *) sqlite3_column_text (stmt, 0);
          const char *institution_code = (const char *) sqlite3_column_text (stmt, 1);
          KacWireFigures figures = { 0, };

          read_figures (stmt, 2, &figures);
          add_figures (day_figures, &figures);
          add_figures (&ensure_group (stats->services, services, service_code,
                                      institution_code)->figures, &figures);
          add_figures (&ensure_group (stats->institutions, institutions, NULL,
                                      institution_code)->figures, &figures);
          add_figures (&stats->totals, &figures);
        }
      if (rc != SQLITE_DONE)
        return step_failed (self, stmt, rc, error);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  rc = sqlite3_prepare_v2 (db, DELAYED_SQL, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return step_failed (self, stmt, rc, error);
  sqlite3_bind_int64 (stmt, 1, bounds->starts[0]);
  sqlite3_bind_int64 (stmt, 2, bounds->starts[bounds->n_days]);
  sqlite3_bind_text (stmt, 3, as_of, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int day = sqlite3_column_int (stmt, 0);
      const char *service_code = (const char *) sqlite3_column_text (stmt, 1);
      const char *institution_code = (const char *) sqlite3_column_text (stmt, 2);
      gint64 delayed = sqlite3_column_int64 (stmt, 3);

      /* The WHERE clause keeps every row inside the range, and the first pass saw each of
       * these records, so their groups exist already. */
      g_assert (sqlite3_column_type (stmt, 0) == SQLITE_INTEGER);
      g_assert (day >= 0 && (guint) day < stats->days->len);

      g_array_index (stats->days, KacWireStatsDay, day).figures.delayed += delayed;
      ensure_group (stats->services, services, service_code, institution_code)->figures.delayed += delayed;
      ensure_group (stats->institutions, institutions, NULL, institution_code)->figures.delayed += delayed;
      stats->totals.delayed += delayed;
    }
  if (rc != SQLITE_DONE)
    return step_failed (self, stmt, rc, error);
  sqlite3_finalize (stmt);

  g_ptr_array_sort (stats->services, compare_groups);
  g_ptr_array_sort (stats->institutions, compare_groups);

  return TRUE;
}

/* Public API */

KacWireStats *
kac_store_get_stats (KacStore     *self,
                     const char   *centre_id,
                     const char   *centre_name,
                     const GDate  *from,
                     const GDate  *to,
                     const GDate  *as_of,
                     GError      **error)
{
  g_autoptr(KacWireStats) stats = NULL;
  g_autofree gint64 *starts = NULL;
  sqlite3 *db;
  DayBounds bounds;
  gboolean ok;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (from != NULL && g_date_valid (from), NULL);
  g_return_val_if_fail (to != NULL && g_date_valid (to), NULL);
  g_return_val_if_fail (as_of != NULL && g_date_valid (as_of), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_date_compare (from, to) > 0
      || g_date_get_julian (to) - g_date_get_julian (from) + 1 > KAC_WIRE_STATS_MAX_DAYS)
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID,
                   _("Choose a range whose first day is not after its last, of at most %u days."),
                   (guint) KAC_WIRE_STATS_MAX_DAYS);
      return NULL;
    }

  stats = kac_wire_stats_new (centre_id != NULL ? centre_id : "",
                              centre_name != NULL ? centre_name : "",
                              from, to, as_of);

  bounds.n_days = stats->days->len;
  starts = g_new (gint64, bounds.n_days + 1);
  for (guint i = 0; i <= bounds.n_days; i++)
    {
      GDate day = *from;

      g_date_add_days (&day, i);
      starts[i] = local_midnight_usec (&day);
    }
  bounds.starts = starts;

  db = _kac_store_get_db (self);

  /* The functions see this call's day bounds; they are removed again before returning, so no
   * other statement of the store can reach the bounds after they are freed. */
  rc = sqlite3_create_function (db, "kac_stats_day", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                &bounds, stats_day_function, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (db, "kac_stats_date", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                  NULL, stats_date_function, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _kac_store_set_error (self, error, rc, FALSE);
      return NULL;
    }

  /* One read transaction: a registration saved between the two queries would make the days
   * disagree with the services. */
  rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _kac_store_set_error (self, error, rc, FALSE);
      ok = FALSE;
    }
  else
    {
      ok = compute (self, stats, &bounds, error);
      sqlite3_exec (db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    }

  sqlite3_create_function (db, "kac_stats_day", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
  sqlite3_create_function (db, "kac_stats_date", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);

  if (!ok)
    return NULL;

  return g_steal_pointer (&stats);
}
