/* kac-central-store-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures of MK 399 §21 and MK 402 §7 for one centre and a range of days, as SQL
 * aggregates: four GROUP BY queries (all, by institution, by service, by day) over the
 * records_stats index of migration 3, which holds every column they read, so the record
 * bodies are never touched and no record is loaded into memory. One read transaction, so
 * the four agree with each other.
 */
#define G_LOG_DOMAIN "kac-central-store"

#include "config.h"

#include "kac-central-store.h"
#include "kac-central-store-private.h"

#include <glib/gi18n-lib.h>

/* The same columns for every grouping, in KacWireFigures order. The kind and channel names are
 * kac_record_kind_to_string() and kac_channel_to_string() names; test-central-stats counts
 * each of them. An application is delayed when it has a due date and was completed after that
 * day (in Latvia), or is not completed and the day is before ?4 (today). */
#define FIGURES_COLUMNS \
  "count(*), " \
  "sum(kind = 'application'), sum(kind = 'information'), " \
  "sum(kind = 'consultation-eservices'), sum(kind = 'consultation-eaddress'), " \
  "sum(kind = 'complaint'), sum(kind = 'question'), sum(kind = 'suggestion'), " \
  "sum(channel = 'in-person'), sum(channel = 'phone'), sum(channel = 'electronic'), " \
  "sum(channel = 'post'), " \
  "sum(kind = 'application' AND due_date IS NOT NULL AND CASE WHEN status = 'completed' " \
  "    THEN kac_local_date (status_changed_at) > due_date ELSE due_date < ?4 END), " \
  "sum(satisfaction = 1), sum(satisfaction = 2), sum(satisfaction = 3), " \
  "sum(satisfaction = 4), sum(satisfaction = 5)"

#define N_FIGURES_COLUMNS (1 + KAC_RECORD_KIND_N_VALUES + KAC_CHANNEL_N_VALUES + 1 + 5)

#define FROM_RANGE \
  " FROM records INDEXED BY records_stats " \
  "WHERE centre_id = ?1 AND local_date >= ?2 AND local_date <= ?3"

G_STATIC_ASSERT (KAC_RECORD_KIND_N_VALUES == 7);
G_STATIC_ASSERT (KAC_CHANNEL_N_VALUES == 4);

static void
format_day (const GDate *date,
            char         text[11])
{
  g_snprintf (text, 11, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

/* Reads the FIGURES_COLUMNS starting at @first. */
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
  figures->delayed = sqlite3_column_int64 (stmt, column++);
  for (guint i = 0; i < 5; i++)
    figures->satisfaction[i] = sqlite3_column_int64 (stmt, column++);
  figures->complaints = figures->by_kind[KAC_RECORD_KIND_COMPLAINT];

  g_assert (column == first + N_FIGURES_COLUMNS);
}

static sqlite3_stmt *
prepare_range (KacCentralStore  *self,
               const char       *sql,
               const char       *centre_id,
               const char       *from,
               const char       *to,
               const char       *as_of,
               GError          **error)
{
  sqlite3_stmt *stmt = _kac_central_store_get_stmt (self, sql, error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, centre_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, as_of, -1, SQLITE_TRANSIENT);
  return stmt;
}

/* Runs a grouped query whose first @n_keys columns are the group's text keys. */
static gboolean
run_grouped (KacCentralStore  *self,
             sqlite3_stmt     *stmt,
             KacWireStats     *stats,
             GPtrArray        *groups,
             int               n_keys,
             gboolean          by_day,
             GError          **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KacWireFigures *figures;

      if (by_day)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, 0);
          KacWireStatsDay *day = NULL;
          GDate date;

          if (text != NULL && kac_wire_date_is_valid (text))
            {
              g_date_clear (&date, 1);
              g_date_set_dmy (&date, (GDateDay) g_ascii_strtoull (text + 8, NULL, 10),
                              (GDateMonth) g_ascii_strtoull (text + 5, NULL, 10),
                              (GDateYear) g_ascii_strtoull (text, NULL, 10));
              day = kac_wire_stats_get_day (stats, &date);
            }

          /* The WHERE clause keeps every row inside the range. */
          if (day == NULL)
            {
              sqlite3_reset (stmt);
              return _kac_central_store_set_sqlite_error (self, error, _("adding up the figures"));
            }
          figures = &day->figures;
        }
      else
        {
          const char *service = n_keys == 2 ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
          const char *institution = (const char *) sqlite3_column_text (stmt, n_keys - 1);

          figures = &kac_wire_stats_add_group (groups, service, institution)->figures;
        }

      read_figures (stmt, n_keys, figures);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _kac_central_store_set_sqlite_error (self, error, _("adding up the figures"));

  return TRUE;
}

static gboolean
compute (KacCentralStore  *self,
         KacWireStats     *stats,
         GError          **error)
{
  char from[11], to[11], as_of[11];
  sqlite3_stmt *stmt;
  int rc;

  format_day (&stats->from, from);
  format_day (&stats->to, to);
  format_day (&stats->as_of, as_of);

  stmt = prepare_range (self, "SELECT " FIGURES_COLUMNS FROM_RANGE,
                        stats->centre_id, from, to, as_of, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    read_figures (stmt, 0, &stats->totals);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _kac_central_store_set_sqlite_error (self, error, _("adding up the figures"));

  stmt = prepare_range (self,
                        "SELECT institution_code, " FIGURES_COLUMNS FROM_RANGE
                        " GROUP BY institution_code ORDER BY institution_code",
                        stats->centre_id, from, to, as_of, error);
  if (stmt == NULL || !run_grouped (self, stmt, stats, stats->institutions, 1, FALSE, error))
    return FALSE;

  stmt = prepare_range (self,
                        "SELECT service_code, institution_code, " FIGURES_COLUMNS FROM_RANGE
                        " GROUP BY service_code, institution_code"
                        " ORDER BY service_code, institution_code",
                        stats->centre_id, from, to, as_of, error);
  if (stmt == NULL || !run_grouped (self, stmt, stats, stats->services, 2, FALSE, error))
    return FALSE;

  stmt = prepare_range (self,
                        "SELECT local_date, " FIGURES_COLUMNS FROM_RANGE " GROUP BY local_date",
                        stats->centre_id, from, to, as_of, error);
  if (stmt == NULL || !run_grouped (self, stmt, stats, NULL, 1, TRUE, error))
    return FALSE;

  return TRUE;
}

KacWireStats *
kac_central_store_get_stats (KacCentralStore  *self,
                             const char       *centre_id,
                             const GDate      *from,
                             const GDate      *to,
                             const GDate      *as_of,
                             GError          **error)
{
  g_autoptr(KacWireStats) stats = NULL;
  g_autofree char *centre_name = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (self), NULL);
  g_return_val_if_fail (centre_id != NULL, NULL);
  g_return_val_if_fail (from != NULL && g_date_valid (from), NULL);
  g_return_val_if_fail (to != NULL && g_date_valid (to), NULL);
  g_return_val_if_fail (as_of != NULL && g_date_valid (as_of), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_date_compare (from, to) > 0
      || g_date_get_julian (to) - g_date_get_julian (from) + 1 > KAC_WIRE_STATS_MAX_DAYS)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID,
                   _("Choose a range whose first day is not after its last, of at most %u days."),
                   (guint) KAC_WIRE_STATS_MAX_DAYS);
      return NULL;
    }

  /* One read transaction: a batch committed between the queries would make them disagree. */
  if (!_kac_central_store_exec (self, "BEGIN", error))
    return NULL;

  stmt = _kac_central_store_get_stmt (self, "SELECT name FROM centres WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, centre_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    centre_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND,
                   _("There is no centre with the id “%s”."), centre_id);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      _kac_central_store_set_sqlite_error (self, error, _("looking up a centre"));
      goto fail;
    }

  stats = kac_wire_stats_new (centre_id, centre_name, from, to, as_of);
  if (!compute (self, stats, error))
    goto fail;

  _kac_central_store_exec (self, "COMMIT", NULL);
  return g_steal_pointer (&stats);

fail:
  _kac_central_store_exec (self, "ROLLBACK", NULL);
  return NULL;
}
