/* bench-drain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draining the queue: 10,000 registrations saved while signed out, then KacSyncEngine sends
 * them to kac-central (in this process, real HTTPS on 127.0.0.1, test CA) in batches of 200;
 * in the same run 1,000 more with one registration per request (batch size 1), on a fresh
 * desk store. The clock runs from setting the token to the moment the last registration is
 * accepted on the desk (the status pull that follows is not counted). Prints records per
 * second of both and their ratio (targets: ≥ 2,000 records/s, ≥ 20×). Asserts only that
 * everything arrived once.
 *
 * Files live under the build directory ($G_TEST_BUILDDIR, else the current directory), not in
 * /tmp, which may be a tmpfs where fsync costs nothing.
 */
#define G_LOG_DOMAIN "bench-drain"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "kac-store.h"
#include "kac-sync-engine.h"
#include "kac-test-central.h"

#define N_BATCHED   10000
#define N_SINGLE    1000
#define BATCH_SIZE  200

static gboolean
drained (gpointer data)
{
  return kac_sync_engine_get_n_pending (data) == 0;
}

/* Saves @n registrations in a fresh store, drains them with @batch_size, returns seconds. */
static double
drain (KacTestCentral *central,
       const char     *token,
       const char     *dir,
       guint           n,
       guint           batch_size)
{
  g_autofree char *path = g_strdup_printf ("%s/desk-%u.db", dir, batch_size);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = kac_store_open (path, &error);
  g_autoptr(KacSyncEngine) engine = NULL;
  gint64 before = kac_central_store_get_n_records (central->store);
  gint64 start, end;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, KAC_TEST_CENTRE);

      kac_store_save_record (store, record, &error);
      g_assert_no_error (error);
    }

  engine = kac_sync_engine_new (store);
  kac_sync_engine_set_batch_size (engine, batch_size);
  kac_sync_engine_set_server_uri (engine, central->uri);
  kac_sync_engine_set_ca_file (engine, central->ca_file);

  start = g_get_monotonic_time ();
  kac_sync_engine_set_token (engine, token);
  if (!kac_test_wait_until (drained, engine, 600 * 1000))
    g_error ("The queue did not drain: %s", kac_sync_engine_get_last_error (engine));
  end = g_get_monotonic_time ();

  g_assert_cmpuint (kac_store_get_n_rejected (store), ==, 0);
  g_assert_cmpint (kac_central_store_get_n_records (central->store) - before, ==, n);

  kac_sync_engine_stop (engine);
  kac_test_run_for (100);
  g_clear_object (&engine);
  g_clear_object (&store);
  g_remove (path);

  return (end - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  g_autoptr(KacTestCentral) central = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  double batched, single, batched_rate, single_rate;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  /* Both stores (the server's too) on the build directory's disk. */
  g_setenv ("TMPDIR", build_dir != NULL ? build_dir : ".", TRUE);
  central = kac_test_central_new ();
  token = kac_test_central_issue_token (central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  dir = kac_test_make_tmp_dir ("bench-drain-XXXXXX");

  batched = drain (central, token, dir, N_BATCHED, BATCH_SIZE);
  single = drain (central, token, dir, N_SINGLE, 1);
  batched_rate = N_BATCHED / batched;
  single_rate = N_SINGLE / single;

  printf ("bench-drain: kac-central in-process, HTTPS on 127.0.0.1, desk and server stores in %s\n", dir);
  printf ("  batches of %u: %u records in %.2f s = %.0f records/s (target >= 2000)\n",
          BATCH_SIZE, N_BATCHED, batched, batched_rate);
  printf ("  one per request: %u records in %.2f s = %.0f records/s (%u would take %.1f s)\n",
          N_SINGLE, single, single_rate, N_BATCHED, N_BATCHED / single_rate);
  printf ("  batched / one per request: %.1fx (target >= 20x)\n", batched_rate / single_rate);

  kac_test_remove_tree (dir);

  return 0;
}
