/* bench-save.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Save latency: 2,000 kac_store_save_record() on a fresh store, and in the same run, alternating
 * with them, 2,000 bare SQLite INSERTs (WAL, synchronous=FULL, one row per transaction, a row of
 * the same size) on another file in the same folder. Prints p50/p99/max of both and the ratio of the p99s (the
 * target is at most 2). Asserts nothing about speed.
 *
 * The files live under the build directory ($G_TEST_BUILDDIR, else the current directory), not
 * in /tmp, which may be a tmpfs where fsync costs nothing and the figures would mean nothing.
 */
#define G_LOG_DOMAIN "bench-save"

#include "config.h"

#include "kac-store.h"
#include "kac-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <sys/vfs.h>

#include <sqlite3.h>

#define N_SAVES 2000

/* Prints the figures of @usec (microseconds, sorted in place) in milliseconds. */
static void
summarise (KacTestStats *stats,
           const char   *label,
           double       *usec,
           guint         n)
{
  kac_test_stats_compute (stats, usec, n);
  printf ("%-28s n=%u  p50 %.3f ms  p99 %.3f ms  max %.3f ms  (total %.2f s)\n",
          label, n, stats->p50 / 1000.0, stats->p99 / 1000.0, stats->max / 1000.0, stats->total / 1e6);
}

static const char *
file_system_name (const char *path)
{
  struct statfs st;

  if (statfs (path, &st) != 0)
    return "unknown";

  switch ((unsigned long) st.f_type)
    {
    case 0xEF53: return "ext2/3/4";
    case 0x01021994: return "tmpfs";
    case 0x794c7630: return "overlayfs";
    case 0x9123683E: return "btrfs";
    case 0x58465342: return "xfs";
    case 0x2FC12FC1: return "zfs";
    case 0x6969: return "nfs";
    case 0x65735546: return "fuse";
    default: return "other";
    }
}

static KacRecord *
make_record (guint i)
{
  KacRecord *record = kac_test_make_application ("ieva", "KAC-TUKUMS");
  g_autofree char *name = g_strdup_printf ("Klients Nr. %u Bērziņš", i);

  kac_record_set_channel (record, i % KAC_CHANNEL_N_VALUES);
  kac_record_set_client_name (record, name);
  kac_record_set_notes (record, "Klients iesniedza iesniegumu un visus pielikumus; atbildi gaida pa pastu.");
  kac_record_set_satisfaction (record, 1 + i % 5);

  return record;
}

/* The floor: what SQLite itself needs for one durable row, with the same table shape and row
 * size, the statements prepared once. */
typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *begin;
  sqlite3_stmt *insert;
  sqlite3_stmt *commit;
} Bare;

static void
bare_open (Bare       *bare,
           const char *path)
{
  g_assert_cmpint (sqlite3_open (path, &bare->db), ==, SQLITE_OK);
  kac_test_exec_sql (bare->db,
               "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
               "CREATE TABLE t (uuid TEXT PRIMARY KEY, kind TEXT, service_code TEXT,"
               " institution_code TEXT, service_name TEXT, channel TEXT, client_name TEXT,"
               " client_code TEXT, notes TEXT, satisfaction INTEGER, created_at INTEGER,"
               " updated_at INTEGER, clerk TEXT, centre_id TEXT, state TEXT) STRICT;"
               "CREATE INDEX t_created_at ON t (created_at);");
  g_assert_cmpint (sqlite3_prepare_v2 (bare->db, "BEGIN IMMEDIATE", -1, &bare->begin, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (bare->db, "COMMIT", -1, &bare->commit, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (bare->db,
                                       "INSERT INTO t VALUES (?, 'application', 'VSAA-01',"
                                       " 'VSAA', 'Bērna kopšanas pabalsts', ?, ?, '161175-19997',"
                                       " 'Klients iesniedza iesniegumu un visus pielikumus; atbildi gaida pa pastu.',"
                                       " ?, ?, ?, 'ieva', 'KAC-TUKUMS', 'queued')",
                                       -1, &bare->insert, NULL), ==, SQLITE_OK);
}

static double
bare_insert (Bare  *bare,
             guint  i)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *client = g_strdup_printf ("Klients Nr. %u Bērziņš", i);
  gint64 start = g_get_monotonic_time ();
  gint64 now = g_get_real_time ();

  g_assert_cmpint (sqlite3_step (bare->begin), ==, SQLITE_DONE);
  sqlite3_reset (bare->begin);
  sqlite3_bind_text (bare->insert, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (bare->insert, 2, kac_channel_to_string (i % KAC_CHANNEL_N_VALUES), -1, SQLITE_STATIC);
  sqlite3_bind_text (bare->insert, 3, client, -1, SQLITE_STATIC);
  sqlite3_bind_int (bare->insert, 4, 1 + i % 5);
  sqlite3_bind_int64 (bare->insert, 5, now);
  sqlite3_bind_int64 (bare->insert, 6, now);
  g_assert_cmpint (sqlite3_step (bare->insert), ==, SQLITE_DONE);
  sqlite3_reset (bare->insert);
  g_assert_cmpint (sqlite3_step (bare->commit), ==, SQLITE_DONE);
  sqlite3_reset (bare->commit);

  return g_get_monotonic_time () - start;
}

static void
bare_close (Bare *bare)
{
  sqlite3_finalize (bare->insert);
  sqlite3_finalize (bare->begin);
  sqlite3_finalize (bare->commit);
  sqlite3_close (bare->db);
}

static double
store_save (KacStore *store,
            guint     i)
{
  g_autoptr(KacRecord) record = make_record (i);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!kac_store_save_record (store, record, &error))
    g_error ("save %u: %s", i, error->message);

  return g_get_monotonic_time () - start;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  double *store_usec = g_new (double, N_SAVES);
  double *bare_usec = g_new (double, N_SAVES);
  KacTestStats store, bare;

  setlocale (LC_ALL, "C.UTF-8");

  dir = kac_test_make_disk_dir ("bench-save-XXXXXX");
  printf ("bench-save: files in %s (file system: %s), SQLite %s\n",
          dir, file_system_name (dir), sqlite3_libversion ());

  /* The two alternate, one row each in turn, so that both see the same disk and the same
   * load from whatever else runs on the machine. */
  {
    g_autofree char *store_path = g_build_filename (dir, "store.db", NULL);
    g_autofree char *bare_path = g_build_filename (dir, "bare.db", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(KacStore) kac_store = kac_store_open (store_path, &error);
    Bare bare_db = { NULL, };

    g_assert_no_error (error);
    bare_open (&bare_db, bare_path);

    for (guint i = 0; i < N_SAVES; i++)
      {
        store_usec[i] = store_save (kac_store, i);
        bare_usec[i] = bare_insert (&bare_db, i);
      }

    bare_close (&bare_db);
  }

  summarise (&store, "kac_store_save_record", store_usec, N_SAVES);
  summarise (&bare, "bare SQLite INSERT+COMMIT", bare_usec, N_SAVES);
  printf ("p99 ratio store/bare: %.2f (target <= 2); p50 ratio: %.2f\n",
          store.p99 / bare.p99, store.p50 / bare.p50);

  g_free (store_usec);
  g_free (bare_usec);
  kac_test_remove_tree (dir);

  return 0;
}
