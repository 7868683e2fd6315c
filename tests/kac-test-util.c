/* kac-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-test-util"

#include "config.h"

#include "kac-test-util.h"

#include <stdarg.h>
#include <stdlib.h>

#include <glib/gstdio.h>

/* Temporary folders */

char *
kac_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);

  return dir;
}

char *
kac_test_make_disk_dir (const char *tmpl)
{
  const char *base = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *cwd = g_get_current_dir ();
  char *dir = g_build_filename (base != NULL ? base : cwd, tmpl, NULL);

  g_assert_nonnull (g_mkdtemp (dir));

  return dir;
}

void
kac_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Tests make folders read-only on purpose (an unwritable profile): give them back first. */
  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        kac_test_remove_tree (child);
      else
        g_remove (child);
    }

  g_remove (path);
}

/* Fixture */

void
kac_test_fixture_init (KacTestFixture *fixture,
                       const char     *first_element,
                       ...)
{
  g_autofree char *program = g_path_get_basename (g_get_prgname () != NULL ? g_get_prgname () : "kac-test");
  g_autofree char *tmpl = g_strconcat (program, "-XXXXXX", NULL);
  g_autofree char *relative = NULL;
  va_list args;

  va_start (args, first_element);
  relative = g_build_filename_valist (first_element, &args);
  va_end (args);

  fixture->dir = kac_test_make_tmp_dir (tmpl);
  fixture->path = g_build_filename (fixture->dir, relative, NULL);
}

void
kac_test_fixture_set_up (KacTestFixture *fixture,
                         gconstpointer   data)
{
  kac_test_fixture_init (fixture, "registrations.db", NULL);
}

void
kac_test_fixture_tear_down (KacTestFixture *fixture,
                            gconstpointer   data)
{
  kac_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* SQLite, beside the store */

void
kac_test_exec_sql (sqlite3    *db,
                   const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

void
kac_test_exec_sql_on_file (const char *path,
                           const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  kac_test_exec_sql (db, sql);
  sqlite3_close (db);
}

/* Steps @sql to its first row on a read-only connection; the caller reads it, then finalizes
 * the statement and closes the connection. */
static sqlite3_stmt *
query_first_row (const char  *path,
                 const char  *sql,
                 sqlite3    **db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return stmt;
}

gint64
kac_test_query_int (const char *path,
                    const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = query_first_row (path, sql, &db);
  gint64 value = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

char *
kac_test_query_text (const char *path,
                     const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = query_first_row (path, sql, &db);
  char *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* Records */

KacService *
kac_test_make_service (void)
{
  return kac_service_new ("VSAA-01", "VSAA", "Valsts sociālās apdrošināšanas aģentūra",
                          "Bērna kopšanas pabalsts", "Childcare benefit", "p294", TRUE);
}

KacRecord *
kac_test_make_application (const char *clerk,
                           const char *centre)
{
  g_autoptr(KacService) service = kac_test_make_service ();
  KacRecord *record = kac_record_new (KAC_RECORD_KIND_APPLICATION);

  kac_record_set_service (record, service);
  kac_record_set_channel (record, KAC_CHANNEL_IN_PERSON);
  kac_record_set_client_name (record, KAC_TEST_CLIENT_NAME);
  kac_record_set_client_code (record, KAC_TEST_CLIENT_CODE);
  kac_record_set_clerk (record, clerk);
  kac_record_set_centre_id (record, centre);

  return record;
}

char *
kac_test_repeat_utf8 (const char *unit,
                      guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);

  return g_string_free (s, FALSE);
}

void
kac_test_assert_wire_fields_equal (KacRecord *a,
                                   KacRecord *b)
{
  g_assert_cmpstr (kac_record_get_uuid (a), ==, kac_record_get_uuid (b));
  g_assert_cmpint (kac_record_get_kind (a), ==, kac_record_get_kind (b));
  g_assert_cmpstr (kac_record_get_service_code (a), ==, kac_record_get_service_code (b));
  g_assert_cmpstr (kac_record_get_institution_code (a), ==, kac_record_get_institution_code (b));
  g_assert_cmpint (kac_record_get_channel (a), ==, kac_record_get_channel (b));
  g_assert_cmpstr (kac_record_get_client_name (a), ==, kac_record_get_client_name (b));
  g_assert_cmpstr (kac_record_get_client_code (a), ==, kac_record_get_client_code (b));
  g_assert_cmpstr (kac_record_get_notes (a), ==, kac_record_get_notes (b));
  g_assert_cmpint (kac_record_get_satisfaction (a), ==, kac_record_get_satisfaction (b));
  g_assert_true (g_date_time_equal (kac_record_get_created_at (a), kac_record_get_created_at (b)));
  g_assert_cmpstr (kac_record_get_clerk (a), ==, kac_record_get_clerk (b));
  g_assert_cmpstr (kac_record_get_centre_id (a), ==, kac_record_get_centre_id (b));
}

void
kac_test_assert_records_equal (KacRecord *a,
                               KacRecord *b)
{
  kac_test_assert_wire_fields_equal (a, b);
  /* What stays on the desk, or comes only from the central system. */
  g_assert_cmpstr (kac_record_get_service_name (a), ==, kac_record_get_service_name (b));
  g_assert_true (g_date_time_equal (kac_record_get_updated_at (a), kac_record_get_updated_at (b)));
  g_assert_cmpint (kac_record_get_state (a), ==, kac_record_get_state (b));
  g_assert_cmpstr (kac_record_get_state_detail (a), ==, kac_record_get_state_detail (b));
  g_assert_cmpstr (kac_record_get_central_number (a), ==, kac_record_get_central_number (b));
}

/* Benchmark figures */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (const double *sorted,
            guint         n,
            double        p)
{
  guint index = (guint) (p * (n - 1) + 0.5);

  return sorted[MIN (index, n - 1)];
}

void
kac_test_stats_compute (KacTestStats *stats,
                        double       *samples,
                        guint         n)
{
  g_return_if_fail (stats != NULL);
  g_return_if_fail (samples != NULL);
  g_return_if_fail (n > 0);

  stats->n = n;
  stats->total = 0;
  for (guint i = 0; i < n; i++)
    stats->total += samples[i];

  qsort (samples, n, sizeof (double), compare_double);
  stats->median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  stats->p50 = percentile (samples, n, 0.50);
  stats->p95 = percentile (samples, n, 0.95);
  stats->p99 = percentile (samples, n, 0.99);
  stats->max = samples[n - 1];
}
