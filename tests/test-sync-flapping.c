/* test-sync-flapping.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sync flapping: the central system goes down and comes back again and again while the desk
 * saves registrations and its sync engine sends them. The server is the real `kac-central
 * serve` (HTTPS on 127.0.0.1, the test PKI and central store of kac-test-central.c, whose
 * in-process server is stopped before anything connects), killed with SIGKILL and started
 * again on the same port 15 times, up and down for random 50-400 ms each. Requests die at
 * every stage: refused, during the TLS handshake, after the server committed a batch but before
 * the desk read the answer. At the end the desk syncs until its queue is empty; then every
 * registration is on the server exactly once, with the same central number on the desk.
 *
 * (Not the in-process server's stop: soup_server_disconnect() closes a TLS connection whose
 * handshake runs in another thread synchronously, and on Debian 12's glib-networking that
 * can wait forever for the handshake, which waits for the blocked main thread.)
 */
#define G_LOG_DOMAIN "test-sync-flapping"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>

#include "kac-store.h"
#include "kac-sync-engine.h"
#include "kac-sync-engine-private.h"
#include "kac-test-central.h"

#define N_FLAPS      15
#define MIN_PHASE_MS 50
#define MAX_PHASE_MS 400
#define SAVE_EVERY_MS 15

typedef struct
{
  KacStore      *store;
  KacSyncEngine *engine;
  GPtrArray     *saved;
} Desk;

/* Starts `kac-central serve` on @port (0: any) and returns it once it listens; sets @port. */
static GSubprocess *
start_server (KacTestCentral *central,
              guint          *port)
{
  g_autofree char *cert = g_build_filename (central->dir, KAC_TEST_PKI_LEAF, NULL);
  g_autofree char *key = g_build_filename (central->dir, KAC_TEST_PKI_LEAF_KEY, NULL);
  g_autofree char *port_text = g_strdup_printf ("%u", *port);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *at;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              KAC_CENTRAL_PATH, "serve", "--db", central->db_path,
                              "--tls-cert", cert, "--tls-key", key, "--port", port_text, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  at = g_strrstr (line, "127.0.0.1:");
  g_assert_nonnull (at);
  if (*port == 0)
    *port = (guint) g_ascii_strtoull (at + strlen ("127.0.0.1:"), NULL, 10);
  g_assert_cmpuint (*port, >, 0);

  return g_steal_pointer (&process);
}

static void
kill_server (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
}

static gboolean
save_one_cb (gpointer user_data)
{
  Desk *desk = user_data;
  g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, KAC_TEST_CENTRE);
  g_autoptr(GError) error = NULL;

  g_assert_true (kac_store_save_record (desk->store, record, &error));
  g_assert_no_error (error);
  g_ptr_array_add (desk->saved, g_strdup (kac_record_get_uuid (record)));

  return G_SOURCE_CONTINUE;
}

static gboolean
drained (gpointer user_data)
{
  Desk *desk = user_data;

  return kac_store_get_n_pending (desk->store) == 0 &&
         kac_sync_engine_get_state (desk->engine) == KAC_SYNC_STATE_IDLE;
}

static void
test_flapping (void)
{
  g_autoptr(KacTestCentral) central = kac_test_central_new ();
  g_autofree char *token = kac_test_central_issue_token (central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  g_autofree char *dir = kac_test_make_tmp_dir ("kac-sync-flapping-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (2000, 1, 1, 0, 0, 0);
  gint64 start = g_get_monotonic_time ();
  gint64 accepted_while_flapping;
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *uri = NULL;
  GListModel *records;
  Desk desk = { 0 };
  guint save_source;
  guint port = 0;

  /* The in-process server only made the PKI, the store and the token; the store is one
   * process's at a time. */
  kac_test_central_stop (central);
  g_clear_object (&central->store);
  server = start_server (central, &port);
  uri = g_strdup_printf ("https://127.0.0.1:%u/", port);

  desk.saved = g_ptr_array_new_with_free_func (g_free);
  desk.store = kac_store_open (path, &error);
  g_assert_no_error (error);
  desk.engine = kac_sync_engine_new (desk.store);
  /* Retries come fast, so that many of them meet the server in every state. */
  _kac_sync_engine_set_timing (desk.engine, 20, 200, 0, 60 * 1000);
  _kac_sync_engine_set_timeouts (desk.engine, 5, 10);
  kac_sync_engine_set_batch_size (desk.engine, 5);
  kac_sync_engine_set_server_uri (desk.engine, uri);
  kac_sync_engine_set_ca_file (desk.engine, central->ca_file);
  kac_sync_engine_set_token (desk.engine, token);

  save_source = g_timeout_add (SAVE_EVERY_MS, save_one_cb, &desk);
  for (guint i = 0; i < N_FLAPS; i++)
    {
      kac_test_run_for ((guint) g_random_int_range (MIN_PHASE_MS, MAX_PHASE_MS + 1));
      kill_server (server);
      g_clear_object (&server);
      kac_test_run_for ((guint) g_random_int_range (MIN_PHASE_MS, MAX_PHASE_MS + 1));
      server = start_server (central, &port);
    }
  g_source_remove (save_source);
  accepted_while_flapping = (gint64) desk.saved->len - kac_store_get_n_pending (desk.store);

  /* The server is up for good: sync until the queue is empty. */
  kac_sync_engine_sync_now (desk.engine);
  g_assert_true (kac_test_wait_until (drained, &desk, 15000));
  g_test_message ("%u flaps in %.1f s: %u registrations saved, %" G_GINT64_FORMAT
                  " answered before the final sync",
                  N_FLAPS, (g_get_monotonic_time () - start) / 1e6, desk.saved->len,
                  accepted_while_flapping);

  /* The engine sent while the server flapped, not only at the end. */
  g_assert_cmpuint (desk.saved->len, >, N_FLAPS);
  g_assert_cmpint (accepted_while_flapping, >, 0);

  /* The server's store, read once it is down for good. */
  kill_server (server);
  central->store = kac_central_store_open (central->db_path, &error);
  g_assert_no_error (error);

  /* Every registration is on the server once (the count shows nothing extra arrived; the
   * server keeps a UUID once), accepted on the desk with the server's number. */
  g_assert_cmpint (kac_central_store_get_n_records (central->store), ==, desk.saved->len);
  for (guint i = 0; i < desk.saved->len; i++)
    {
      const char *uuid = g_ptr_array_index (desk.saved, i);
      g_autoptr(KacRecord) record = kac_store_lookup_record (desk.store, uuid, &error);
      g_autofree char *number = kac_test_central_dup_number (central, uuid);

      g_assert_no_error (error);
      g_assert_nonnull (number);
      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
      g_assert_cmpstr (kac_record_get_central_number (record), ==, number);
    }
  g_assert_true (kac_store_set_records_since (desk.store, epoch, &error));
  g_assert_no_error (error);
  records = kac_store_get_records (desk.store);
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, desk.saved->len);

  /* Bounded in time. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);

  kac_sync_engine_stop (desk.engine);
  g_clear_object (&desk.engine);
  g_clear_object (&desk.store);
  g_ptr_array_unref (desk.saved);
  kac_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/flapping", test_flapping);

  return g_test_run ();
}
