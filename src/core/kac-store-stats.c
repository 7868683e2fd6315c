/* kac-store-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This terminal's figures in one read transaction: the (day, service, institution) groups of
 * the range from the daily table that the store's triggers keep in step with the records
 * (migration 5 in kac-store.c), and one query for the delays, driven by the small status
 * table, whose day comes from a small SQL function that looks the instant up among the day
 * boundaries of the range, worked out once in Latvia's time zone (a day is 23 or 25 hours
 * long when the clocks change). The services, the institutions, the days and the totals are
 * sums of the same groups, so they always agree.
 */
#define G_LOG_DOMAIN "kac-store"

#include "config.h"

#include "kac-store-stats.h"
#include "kac-store-private.h"
#include "kac-calendar.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* The columns of KacWireFigures that the daily table keeps, in its order (the delays come
 * from a second query, driven by the small status table). */
#define FIGURES_COLUMNS \
  "cases, application, information, consultation_eservices, consultation_eaddress, " \
  "complaint, question, suggestion, in_person, phone, electronic, post, " \
  "satisfaction_1, satisfaction_2, satisfaction_3, satisfaction_4, satisfaction_5"

#define N_FIGURES_COLUMNS (1 + KAC_RECORD_KIND_N_VALUES + KAC_CHANNEL_N_VALUES + 5)

/* The (day, service, institution) groups of the range from the daily table that migration 5
 * keeps with every change to records (withdrawn registrations left out), in primary-key
 * order: a year is a few thousand rows where the registrations are hundreds of thousands.
 * ?1 and ?2 are the first and the last day ("YYYY-MM-DD"); the first column is the index of
 * the day in the range. '' stands for no service or institution in the table's key. */
#define GROUPS_SQL \
  "SELECT CAST (julianday (day) - julianday (?1) AS INTEGER), nullif (service_code, ''), " \
  "nullif (institution_code, ''), " FIGURES_COLUMNS \
  " FROM stats_daily WHERE day BETWEEN ?1 AND ?2"

/* Delayed applications of the range by day and service, from the status table alone (its
 * record_day, service and institution are kept by the triggers of migration 5; record_day is
 * NULL unless the registration is an application of this terminal that counts): an
 * application with a due date that was completed after that day (in Latvia), or is not
 * completed and the day is before ?3. */
#define DELAYED_SQL \
  "SELECT CAST (julianday (record_day) - julianday (?1) AS INTEGER), service_code," \
  " institution_code, count(*)" \
  " FROM application_status" \
  " WHERE record_day BETWEEN ?1 AND ?2 AND due_date IS NOT NULL" \
  "   AND CASE WHEN status = 'completed' THEN kac_stats_date (changed_at) > due_date" \
  "       ELSE due_date < ?3 END" \
  " GROUP BY record_day, service_code, institution_code"

G_STATIC_ASSERT (KAC_RECORD_KIND_N_VALUES == 7);
G_STATIC_ASSERT (KAC_CHANNEL_N_VALUES == 4);

/* The SQL function */

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
         GError          **error)
{
  sqlite3 *db = _kac_store_get_db (self);
  g_autoptr(GHashTable) services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) institutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  char as_of[11], from[11], to[11];
  int rc;

  format_day (&stats->as_of, as_of);

  format_day (&stats->from, from);
  format_day (&stats->to, to);

  rc = sqlite3_prepare_v2 (db, GROUPS_SQL, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return step_failed (self, stmt, rc, error);
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int day = sqlite3_column_int (stmt, 0);
      const char *service_code = (const char *) sqlite3_column_text (stmt, 1);
      const char *institution_code = (const char *) sqlite3_column_text (stmt, 2);
      KacWireFigures figures = { 0, };

      /* Only a day that is not a date (a hand-edited file) could fall outside. */
      if (day < 0 || (guint) day >= stats->days->len)
        continue;

      read_figures (stmt, 3, &figures);
      add_figures (&g_array_index (stats->days, KacWireStatsDay, day).figures, &figures);
      add_figures (&ensure_group (stats->services, services, service_code,
                                  institution_code)->figures, &figures);
      add_figures (&ensure_group (stats->institutions, institutions, NULL,
                                  institution_code)->figures, &figures);
      add_figures (&stats->totals, &figures);
    }
  if (rc != SQLITE_DONE)
    return step_failed (self, stmt, rc, error);
  sqlite3_finalize (stmt);
  stmt = NULL;

  rc = sqlite3_prepare_v2 (db, DELAYED_SQL, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return step_failed (self, stmt, rc, error);
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, as_of, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int day = sqlite3_column_int (stmt, 0);
      const char *service_code = (const char *) sqlite3_column_text (stmt, 1);
      const char *institution_code = (const char *) sqlite3_column_text (stmt, 2);
      gint64 delayed = sqlite3_column_int64 (stmt, 3);

      /* The WHERE clause keeps every row inside the range (only a day that is not a date, in a
       * hand-edited file, could fall outside). */
      if (day < 0 || (guint) day >= stats->days->len)
        continue;

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
  sqlite3 *db;
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

  db = _kac_store_get_db (self);

  rc = sqlite3_create_function (db, "kac_stats_date", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
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
      ok = compute (self, stats, error);
      sqlite3_exec (db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    }

  sqlite3_create_function (db, "kac_stats_date", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);

  if (!ok)
    return NULL;

  return g_steal_pointer (&stats);
}
