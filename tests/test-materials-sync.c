/* test-materials-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk pulls methodological materials, staff notices and attachments from the real
 * kac-central (in this process, over HTTPS on loopback) through KacSyncEngine: incremental
 * pulls by cursor (an unchanged pull transfers next to nothing), attachments fetched by hash,
 * a 410 that resyncs a feed and drops what the server no longer has, the "notice-arrived" and
 * "material-changed" signals (once per new item-version, not for the first full pull, not
 * again after a restart), and pulls killed with SIGKILL at random moments: the test binary runs
 * itself again as the desk ("--child") and at the end the store holds exactly the server's
 * items and its cursor is current.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "kac-central-store-materials.h"
#include "kac-http-client.h"
#include "kac-store-materials.h"
#include "kac-sync-engine.h"
#include "kac-sync-engine-private.h"
#include "kac-test-central.h"

#define WAIT_MS 30000

/* Publishing on the server, straight into its store */

static gint64
institution_user_id (KacTestCentral *central)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) user = kac_central_store_lookup_user (central->store, KAC_TEST_INSTITUTION, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user->id;
}

static char *
publish_material (KacTestCentral *central,
                  const char     *id,
                  const char     *title,
                  const char     *body,
                  const char     *sha256)
{
  g_autoptr(KacWireMaterial) request = kac_wire_material_new ();
  g_autoptr(KacWireMaterial) material = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *services[] = { "VSAA-01", NULL };

  request->title = g_strdup (title);
  request->body = g_strdup (body);
  request->services = g_strdupv ((GStrv) services);
  if (sha256 != NULL)
    g_ptr_array_add (request->attachments, kac_wire_attachment_new (sha256, "noteikumi.pdf", NULL, 0));

  material = kac_central_store_publish_material (central->store, id, request, "VSAA",
                                                 institution_user_id (central), KAC_TEST_INSTITUTION,
                                                 now, &error);
  g_assert_no_error (error);
  return g_strdup (material->id);
}

static char *
publish_notice (KacTestCentral *central,
                KacNoticeKind   kind,
                const char     *name)
{
  g_autoptr(KacWireNotice) request = kac_wire_notice_new ();
  g_autoptr(KacWireNotice) notice = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *centres[] = { KAC_TEST_CENTRE, NULL };

  request->kind = kind;
  request->centres = g_strdupv ((GStrv) centres);
  request->position = g_strdup ("Klientu apkalpošanas speciāliste");
  request->name = g_strdup (name);
  request->starts_at = g_date_time_add_hours (now, 1);
  if (kind == KAC_NOTICE_KIND_HOURS_CHANGED)
    {
      KacWireHours hours = { 1, 9 * 60, 16 * 60 };

      g_array_append_val (request->hours, hours);
    }
  else
    request->ends_at = g_date_time_add_hours (now, 8);

  notice = kac_central_store_publish_notice (central->store, NULL, request, "VSAA",
                                             institution_user_id (central), KAC_TEST_INSTITUTION,
                                             now, &error);
  g_assert_no_error (error);
  return g_strdup (notice->id);
}

static char *
upload_attachment (KacTestCentral *central,
                   const char     *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  char *sha256;

  sha256 = kac_central_store_put_attachment (central->store, bytes, "application/pdf",
                                             institution_user_id (central), now, &error);
  g_assert_no_error (error);
  return sha256;
}

/* Every item of a server feed (id → version), read through the store's own listing. */
static GHashTable *
server_items (KacTestCentral *central,
              gboolean        materials)
{
  GHashTable *items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(KacWireFeedPage) page = NULL;
      const char *dot;

      if (materials)
        bytes = kac_central_store_list_materials (central->store, since, 1000, &error);
      else
        bytes = kac_central_store_list_notices (central->store, KAC_TEST_CENTRE, since, 1000, &error);
      g_assert_no_error (error);
      page = materials ? kac_wire_decode_materials_page (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)
                       : kac_wire_decode_notices_page (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);

      for (guint i = 0; i < page->items->len; i++)
        {
          const char *id = materials ? ((KacWireMaterial *) page->items->pdata[i])->id
                                     : ((KacWireNotice *) page->items->pdata[i])->id;
          gboolean deleted = materials ? ((KacWireMaterial *) page->items->pdata[i])->deleted
                                       : ((KacWireNotice *) page->items->pdata[i])->deleted;
          gint64 version = materials ? ((KacWireMaterial *) page->items->pdata[i])->version
                                     : ((KacWireNotice *) page->items->pdata[i])->version;

          if (deleted)
            g_hash_table_remove (items, id);
          else
            g_hash_table_insert (items, g_strdup (id), GINT_TO_POINTER ((int) version));
        }

      dot = page->cursor != NULL ? strchr (page->cursor, '.') : NULL;
      g_assert_nonnull (dot);
      since = g_ascii_strtoll (dot + 1, NULL, 10);
      if (!page->more)
        break;
    }

  return items;
}

static void
assert_store_matches_server (KacStore       *store,
                             KacTestCentral *central)
{
  g_autoptr(GHashTable) materials = server_items (central, TRUE);
  g_autoptr(GHashTable) notices = server_items (central, FALSE);
  g_autoptr(GPtrArray) cached_materials = NULL;
  g_autoptr(GPtrArray) cached_notices = NULL;
  g_autoptr(GError) error = NULL;

  cached_materials = kac_store_list_materials (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cached_materials->len, ==, g_hash_table_size (materials));
  for (guint i = 0; i < cached_materials->len; i++)
    {
      KacMaterialInfo *info = cached_materials->pdata[i];

      g_assert_true (g_hash_table_contains (materials, info->id));
      g_assert_cmpint (info->version, ==, GPOINTER_TO_INT (g_hash_table_lookup (materials, info->id)));
    }

  cached_notices = kac_store_list_notices (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cached_notices->len, ==, g_hash_table_size (notices));
  for (guint i = 0; i < cached_notices->len; i++)
    {
      KacWireNotice *notice = cached_notices->pdata[i];

      g_assert_true (g_hash_table_contains (notices, notice->id));
      g_assert_cmpint (notice->version, ==, GPOINTER_TO_INT (g_hash_table_lookup (notices, notice->id)));
    }
}

/* The desk */

typedef struct
{
  KacTestCentral *central;
  char           *dir;
  char           *store_path;
  char           *token;
  KacStore       *store;
  KacSyncEngine  *engine;
  guint           n_syncs;
  GPtrArray      *materials_announced;   /* "id v<version> new|update" */
  GPtrArray      *notices_announced;     /* "id v<version> <kind>" */
} Fixture;

static void
last_sync_cb (KacSyncEngine *engine,
              GParamSpec    *pspec,
              Fixture       *f)
{
  f->n_syncs++;
}

static void
material_changed_cb (KacSyncEngine *engine,
                     const char    *id,
                     gint64         version,
                     gboolean       is_update,
                     const char    *institution,
                     const char    *title,
                     Fixture       *f)
{
  g_assert_cmpstr (institution, ==, "VSAA");
  g_assert_nonnull (title);
  g_ptr_array_add (f->materials_announced,
                   g_strdup_printf ("%s v%" G_GINT64_FORMAT " %s", id, version, is_update ? "update" : "new"));
}

static void
notice_arrived_cb (KacSyncEngine *engine,
                   const char    *id,
                   gpointer       pointer,
                   Fixture       *f)
{
  KacWireNotice *notice = pointer;

  g_assert_cmpstr (notice->id, ==, id);
  g_ptr_array_add (f->notices_announced,
                   g_strdup_printf ("%s v%" G_GINT64_FORMAT " %s", id, notice->version,
                                    kac_notice_kind_to_string (notice->kind)));
}

static void
open_desk (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = kac_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->engine = kac_sync_engine_new (f->store);
  _kac_sync_engine_set_timing (f->engine, 50, 400, 0, 60 * 60 * 1000);
  _kac_sync_engine_set_timeouts (f->engine, 5, 10);
  kac_sync_engine_set_server_uri (f->engine, f->central->uri);
  kac_sync_engine_set_ca_file (f->engine, f->central->ca_file);
  g_signal_connect (f->engine, "notify::last-sync", G_CALLBACK (last_sync_cb), f);
  g_signal_connect (f->engine, "material-changed", G_CALLBACK (material_changed_cb), f);
  g_signal_connect (f->engine, "notice-arrived", G_CALLBACK (notice_arrived_cb), f);
}

static void
close_desk (Fixture *f)
{
  kac_sync_engine_stop (f->engine);
  kac_test_run_for (50);
  g_assert_finalize_object (f->engine);
  f->engine = NULL;
  g_assert_finalize_object (f->store);
  f->store = NULL;
}

static gboolean
synced (gpointer data)
{
  Fixture *f = data;

  return f->n_syncs > 0 && kac_sync_engine_get_state (f->engine) == KAC_SYNC_STATE_IDLE;
}

/* One whole round (changes, both feeds, attachments) that ended well. */
static void
sync_once (Fixture *f)
{
  f->n_syncs = 0;
  if (kac_sync_engine_get_token (f->engine) == NULL)
    kac_sync_engine_set_token (f->engine, f->token);
  else
    kac_sync_engine_sync_now (f->engine);
  g_assert_true (kac_test_wait_until (synced, f, WAIT_MS));
  g_assert_null (kac_sync_engine_get_last_error (f->engine));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->central = kac_test_central_new ();
  f->dir = kac_test_make_tmp_dir ("kac-materials-sync-XXXXXX");
  f->store_path = g_build_filename (f->dir, "registrations.db", NULL);
  f->token = kac_test_central_issue_token (f->central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  f->materials_announced = g_ptr_array_new_with_free_func (g_free);
  f->notices_announced = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->engine != NULL)
    close_desk (f);
  kac_test_central_free (f->central);
  kac_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->store_path);
  g_free (f->token);
  g_ptr_array_unref (f->materials_announced);
  g_ptr_array_unref (f->notices_announced);
}

/* Tests */

static void
test_incremental (Fixture       *f,
                  gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.4\n% Bērna kopšanas pabalsts\n%%EOF\n";
  g_autofree char *sha256 = upload_attachment (f->central, pdf);
  g_autofree char *first = publish_material (f->central, NULL, "Bērna kopšanas pabalsts",
                                             "# Kam pienākas\n\nVecākiem.", sha256);
  g_autofree char *second = publish_material (f->central, NULL, "Slimības nauda", "Teksts.", NULL);
  g_autofree char *old_absence = publish_notice (f->central, KAC_NOTICE_KIND_ABSENCE, "Anna Ozola");
  g_autofree char *attachment_path = NULL;
  g_autofree char *third = NULL;
  g_autofree char *absence = NULL;
  g_autofree char *substitution = NULL;
  g_autofree char *assigned = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint64 bytes_before;
  guint64 unchanged_bytes;
  guint requests_before;

  open_desk (f);
  sync_once (f);

  /* The first full pull fills the cache and announces nothing. */
  assert_store_matches_server (f->store, f->central);
  g_assert_cmpuint (f->materials_announced->len, ==, 0);
  g_assert_cmpuint (f->notices_announced->len, ==, 0);

  /* The attachment was fetched by its hash, verified and written. */
  attachment_path = kac_store_dup_attachment_path (f->store, sha256);
  g_assert_nonnull (attachment_path);
  g_assert_true (g_file_get_contents (attachment_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, pdf, sizeof pdf - 1);

  /* What changed: one new material, one updated, an absence, a substitution, and a kind that
   * is not announced. */
  third = publish_material (f->central, NULL, "Vecuma pensija", "Jauns materiāls.", NULL);
  g_free (publish_material (f->central, second, "Slimības nauda", "Otrā versija.", NULL));
  absence = publish_notice (f->central, KAC_NOTICE_KIND_ABSENCE, "Jānis Bērziņš");
  substitution = publish_notice (f->central, KAC_NOTICE_KIND_SUBSTITUTION, "Līga Kalniņa");
  assigned = publish_notice (f->central, KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, "Pēteris Liepa");

  sync_once (f);
  assert_store_matches_server (f->store, f->central);

  g_assert_cmpuint (f->materials_announced->len, ==, 2);
  expected = g_strdup_printf ("%s v1 new", third);
  g_assert_cmpstr (f->materials_announced->pdata[0], ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("%s v2 update", second);
  g_assert_cmpstr (f->materials_announced->pdata[1], ==, expected);
  g_free (expected);

  g_assert_cmpuint (f->notices_announced->len, ==, 2);
  expected = g_strdup_printf ("%s v1 absence", absence);
  g_assert_cmpstr (f->notices_announced->pdata[0], ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("%s v1 substitution", substitution);
  g_assert_cmpstr (f->notices_announced->pdata[1], ==, expected);
  g_clear_pointer (&expected, g_free);

  /* An unchanged pull: one request per feed, each answering an empty page. */
  bytes_before = _kac_sync_engine_get_bytes_received (f->engine);
  requests_before = _kac_sync_engine_get_n_requests (f->engine);
  sync_once (f);
  unchanged_bytes = _kac_sync_engine_get_bytes_received (f->engine) - bytes_before;
  g_test_message ("unchanged pull: %u requests, %" G_GUINT64_FORMAT " bytes received",
                  _kac_sync_engine_get_n_requests (f->engine) - requests_before, unchanged_bytes);
  g_assert_cmpuint (_kac_sync_engine_get_n_requests (f->engine) - requests_before, ==, 3);
  g_assert_cmpuint (unchanged_bytes, >, 0);
  g_assert_cmpuint (unchanged_bytes, <, 3 * 1024);
  g_assert_cmpuint (f->materials_announced->len, ==, 2);
  g_assert_cmpuint (f->notices_announced->len, ==, 2);

  /* A restart announces nothing again. */
  close_desk (f);
  open_desk (f);
  sync_once (f);
  g_assert_cmpuint (f->materials_announced->len, ==, 2);
  g_assert_cmpuint (f->notices_announced->len, ==, 2);

  /* A withdrawal reaches the cache, without an announcement. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_true (kac_central_store_withdraw_material (f->central->store, first, "VSAA",
                                                        institution_user_id (f->central), KAC_TEST_INSTITUTION,
                                                        now, &error));
    g_assert_no_error (error);
  }
  sync_once (f);
  assert_store_matches_server (f->store, f->central);
  g_assert_cmpuint (f->materials_announced->len, ==, 2);
  (void) old_absence;
  (void) assigned;
}

static void
test_gone (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *kept = publish_material (f->central, NULL, "Dzīvesvietas deklarēšana", "Teksts.", NULL);
  g_autofree char *absence = publish_notice (f->central, KAC_NOTICE_KIND_ABSENCE, "Anna Ozola");
  g_autoptr(KacWireFeedPage) ghost = kac_wire_materials_page_new ();
  g_autoptr(GError) error = NULL;
  KacWireMaterial *material = kac_wire_material_new ();
  const char *services[] = { "VSAA-01", NULL };

  open_desk (f);
  sync_once (f);
  assert_store_matches_server (f->store, f->central);

  /* A material the server does not have (it was restored from an older backup), and a cursor
   * of another epoch: the 410 makes the engine fetch the feed again and drop the ghost. */
  material->id = g_strdup ("00000000-0000-4000-8000-000000000001");
  material->version = 1;
  material->institution = g_strdup ("VSAA");
  material->title = g_strdup ("Spoks");
  material->body = g_strdup ("Nav serverī.");
  material->services = g_strdupv ((GStrv) services);
  material->updated_at = g_date_time_new_now_utc ();
  g_ptr_array_add (ghost->items, material);
  ghost->cursor = g_strdup ("another-epoch.1");
  g_assert_true (kac_store_apply_materials_page (f->store, ghost, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kac_store_set_sync_value (f->store, KAC_STORE_NOTICES_CURSOR_KEY, "another-epoch.1", &error));
  g_assert_no_error (error);

  sync_once (f);
  assert_store_matches_server (f->store, f->central);
  /* Resynced items were announced already or belong to the first pull. */
  g_assert_cmpuint (f->notices_announced->len, ==, 0);
  (void) kept;
  (void) absence;
}

/* Killed while pulling */

#define N_KILLS 10

static int
run_child (const char *store_path,
           const char *uri,
           const char *ca_file,
           const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(KacStore) store = kac_store_open (store_path, &error);
  g_autoptr(KacSyncEngine) engine = NULL;

  if (store == NULL)
    g_error ("open failed: %s", error->message);
  engine = kac_sync_engine_new (store);
  _kac_sync_engine_set_timing (engine, 20, 200, 0, 60 * 60 * 1000);
  kac_sync_engine_set_server_uri (engine, uri);
  kac_sync_engine_set_ca_file (engine, ca_file);
  g_signal_connect_swapped (engine, "notify::last-sync", G_CALLBACK (g_main_loop_quit), loop);
  kac_sync_engine_set_token (engine, token);
  g_main_loop_run (loop);
  kac_sync_engine_stop (engine);
  printf ("pulled\n");
  fflush (stdout);

  return 0;
}

typedef struct
{
  GSubprocess *process;
  gboolean     exited;
} Run;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  run->exited = TRUE;
}

static gboolean
exited (gpointer data)
{
  return ((Run *) data)->exited;
}

/* TRUE when the desk was killed before it finished its pull. */
static gboolean
run_desk (Fixture    *f,
          const char *self_path,
          gint        kill_after_ms)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  gboolean killed;

  run.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                  self_path, "--child", f->store_path, f->central->uri,
                                  f->central->ca_file, f->token, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (run.process, NULL, wait_cb, &run);
  if (kill_after_ms >= 0)
    {
      kac_test_run_for ((guint) kill_after_ms);
      g_subprocess_send_signal (run.process, SIGKILL);
    }
  g_assert_true (kac_test_wait_until (exited, &run, WAIT_MS));
  if (kill_after_ms < 0)
    g_assert_true (g_subprocess_get_successful (run.process));
  killed = g_subprocess_get_if_signaled (run.process);
  g_clear_object (&run.process);
  return killed;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
test_kill (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacHttpClient) client = NULL;
  g_autofree char *cursor = NULL;
  guint n_killed = 0;

  for (guint i = 0; i < 60; i++)
    g_string_append (body, "Klientam jāiesniedz iesniegums un personu apliecinošs dokuments. ");

  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *title = g_strdup_printf ("Materiāls %u", i);

      g_ptr_array_add (ids, publish_material (f->central, NULL, title, body->str, NULL));
    }
  for (guint i = 0; i < 600; i++)
    g_free (publish_notice (f->central, i % 2 ? KAC_NOTICE_KIND_ABSENCE : KAC_NOTICE_KIND_SUBSTITUTION,
                            "Anna Ozola"));

  for (guint k = 0; k < N_KILLS; k++)
    {
      /* Changes between the kills: updates, withdrawals, new items. */
      for (guint j = 0; j < 150; j++)
        {
          guint i = (guint) g_random_int_range (N_KILLS, (gint32) ids->len);
          g_autofree char *title = g_strdup_printf ("Materiāls %u, versija %u", i, k);

          g_free (publish_material (f->central, ids->pdata[i], title, body->str, NULL));
        }
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

        g_assert_true (kac_central_store_withdraw_material (f->central->store, ids->pdata[k], "VSAA",
                                                            institution_user_id (f->central), KAC_TEST_INSTITUTION,
                                                            now, &error));
        g_assert_no_error (error);
      }
      g_free (publish_notice (f->central, KAC_NOTICE_KIND_ABSENCE, "Jānis Bērziņš"));

      if (run_desk (f, self_path, g_random_int_range (10, 120)))
        n_killed++;
    }

  /* One pull to the end, then the store holds the server's items. */
  run_desk (f, self_path, -1);
  g_test_message ("%u of %u desks killed during their pull", n_killed, N_KILLS);
  /* Most runs must really be cut: else the test proves nothing about resuming. */
  g_assert_cmpuint (n_killed, >=, 3);

  f->store = kac_store_open (f->store_path, &error);
  g_assert_no_error (error);
  assert_store_matches_server (f->store, f->central);

  /* The cursor is current: the server has nothing after it. */
  client = kac_http_client_new (f->central->uri, f->central->ca_file, &error);
  g_assert_no_error (error);
  kac_http_client_set_token (client, f->token);
  cursor = kac_store_dup_sync_value (f->store, KAC_STORE_MATERIALS_CURSOR_KEY);
  g_assert_nonnull (cursor);
  {
    GAsyncResult *result = NULL;
    g_autoptr(KacWireFeedPage) page = NULL;

    kac_http_client_get_materials_async (client, cursor, NULL, got_result_cb, &result);
    g_assert_true (kac_test_wait_until (has_result, &result, WAIT_MS));
    page = kac_http_client_get_materials_finish (client, result, &error);
    g_object_unref (result);
    g_assert_no_error (error);
    g_assert_cmpuint (page->items->len, ==, 0);
    g_assert_false (page->more);
  }
  g_assert_finalize_object (f->store);
  f->store = NULL;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 6 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], argv[3], argv[4], argv[5]);

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/materials-sync/incremental", Fixture, NULL, fixture_set_up, test_incremental, fixture_tear_down);
  g_test_add ("/materials-sync/gone", Fixture, NULL, fixture_set_up, test_gone, fixture_tear_down);
  g_test_add ("/materials-sync/kill", Fixture, NULL, fixture_set_up, test_kill, fixture_tear_down);

  return g_test_run ();
}
