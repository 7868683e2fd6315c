/* bench-materials-pull.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pulling materials and staff notices (issue 4: "incremental pull of 1,000 notices and 200
 * materials over HTTPS on loopback: report the time; an unchanged pull must transfer next to
 * nothing"). kac-central runs in this process (real HTTPS on 127.0.0.1, test CA) with 200
 * materials of a few hundred words (10 of them with a 64 KiB attachment) and 1,000 notices of
 * the four kinds for the desk's centre; the desk pulls them through KacSyncEngine, exactly as
 * it does in use. Measured, each as time, HTTP requests and bytes received (headers and
 * bodies, as the engine's HTTP client counts them):
 *   - the first, full pull into an empty store (attachments included);
 *   - an unchanged pull (median time of 10);
 *   - a pull after 10 changes (5 materials updated, 3 notices updated, 2 new notices).
 * A whole sync round is timed (the status-change feed is part of it, as in use). Prints the
 * figures; asserts only that the desk ends up with exactly the server's items.
 *
 * Files live under the build directory ($G_TEST_BUILDDIR, else the current directory).
 */
#define G_LOG_DOMAIN "bench-materials-pull"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kac-central-store-materials.h"
#include "kac-store-materials.h"
#include "kac-sync-engine.h"
#include "kac-sync-engine-private.h"
#include "kac-test-central.h"

#define N_MATERIALS     200
#define N_ATTACHMENTS   10
#define ATTACHMENT_SIZE (64 * 1024)
#define N_NOTICES       1000
#define N_UNCHANGED     10
#define WAIT_MS         (600 * 1000)

static const char * const words[] = {
  "pabalsts", "bērna", "kopšanas", "iesniegums", "deklarācija", "pase", "pensija", "vecuma",
  "dzīvesvieta", "nodoklis", "īpašums", "klientam", "jāiesniedz", "portālā", "latvija.lv",
  "dokuments", "termiņš", "lēmums", "valsts", "sociālās", "apdrošināšanas", "aģentūra", "un",
  "ir", "par", "ar", "uz", "no", "lai", "vai", "kas", "ja", "tiek", "var", "pēc", "līdz",
};

typedef struct
{
  KacTestCentral *central;
  gint64          user_id;
  KacSyncEngine  *engine;
  guint           n_syncs;
} Bench;

static char *
make_text (GRand *rand,
           guint  n_words)
{
  GString *text = g_string_new ("## Kā pieteikt\n\n");

  for (guint w = 0; w < n_words; w++)
    g_string_append_printf (text, "%s%s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                            w % 15 == 14 ? ".\n\n" : " ");
  return g_string_free (text, FALSE);
}

static char *
publish_material (Bench      *bench,
                  GRand      *rand,
                  const char *id,
                  guint       number,
                  const char *sha256)
{
  g_autoptr(KacWireMaterial) request = kac_wire_material_new ();
  g_autoptr(KacWireMaterial) material = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *services[] = { "VSAA-01", NULL };

  request->title = g_strdup_printf ("Bērna kopšanas pabalsts %u", number);
  request->body = make_text (rand, g_rand_int_range (rand, 150, 601));
  request->services = g_strdupv ((GStrv) services);
  if (sha256 != NULL)
    g_ptr_array_add (request->attachments, kac_wire_attachment_new (sha256, "noteikumi.pdf", NULL, 0));

  material = kac_central_store_publish_material (bench->central->store, id, request, "VSAA",
                                                 bench->user_id, KAC_TEST_INSTITUTION, now, &error);
  g_assert_no_error (error);
  return g_strdup (material->id);
}

static char *
publish_notice (Bench      *bench,
                const char *id,
                guint       number)
{
  static const KacNoticeKind kinds[] = {
    KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, KAC_NOTICE_KIND_HOURS_CHANGED,
    KAC_NOTICE_KIND_ABSENCE, KAC_NOTICE_KIND_SUBSTITUTION,
  };
  g_autoptr(KacWireNotice) request = kac_wire_notice_new ();
  g_autoptr(KacWireNotice) notice = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *centres[] = { KAC_TEST_CENTRE, NULL };

  request->kind = kinds[number % G_N_ELEMENTS (kinds)];
  request->centres = g_strdupv ((GStrv) centres);
  request->position = g_strdup ("Klientu apkalpošanas speciāliste");
  request->name = g_strdup_printf ("Anna Ozola %u", number);
  request->starts_at = g_date_time_add_hours (now, 1 + number % 48);
  if (request->kind == KAC_NOTICE_KIND_HOURS_CHANGED)
    {
      KacWireHours hours = { 1 + number % 5, 9 * 60, 16 * 60 };

      g_array_append_val (request->hours, hours);
    }
  else
    request->ends_at = g_date_time_add_hours (request->starts_at, 8);

  notice = kac_central_store_publish_notice (bench->central->store, id, request, "VSAA",
                                             bench->user_id, KAC_TEST_INSTITUTION, now, &error);
  g_assert_no_error (error);
  return g_strdup (notice->id);
}

static void
last_sync_cb (KacSyncEngine *engine,
              GParamSpec    *pspec,
              Bench         *bench)
{
  bench->n_syncs++;
}

static gboolean
synced (gpointer data)
{
  Bench *bench = data;

  return bench->n_syncs > 0 && kac_sync_engine_get_state (bench->engine) == KAC_SYNC_STATE_IDLE;
}

typedef struct
{
  double  seconds;
  guint   requests;
  guint64 bytes;
} Pull;

/* One whole sync round (the first one sets the token), measured. */
static Pull
pull (Bench      *bench,
      const char *token)
{
  guint requests = _kac_sync_engine_get_n_requests (bench->engine);
  guint64 bytes = _kac_sync_engine_get_bytes_received (bench->engine);
  gint64 start = g_get_monotonic_time ();
  Pull result;

  bench->n_syncs = 0;
  if (token != NULL)
    kac_sync_engine_set_token (bench->engine, token);
  else
    kac_sync_engine_sync_now (bench->engine);
  if (!kac_test_wait_until (synced, bench, WAIT_MS))
    g_error ("The pull did not end: %s", kac_sync_engine_get_last_error (bench->engine));
  if (kac_sync_engine_get_last_error (bench->engine) != NULL)
    g_error ("The pull failed: %s", kac_sync_engine_get_last_error (bench->engine));

  result.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  result.requests = _kac_sync_engine_get_n_requests (bench->engine) - requests;
  result.bytes = _kac_sync_engine_get_bytes_received (bench->engine) - bytes;
  return result;
}

static int
compare_pulls (const void *a,
               const void *b)
{
  double x = ((const Pull *) a)->seconds, y = ((const Pull *) b)->seconds;

  return x < y ? -1 : x > y;
}

/* The desk holds exactly @n_materials and @n_notices, every attachment, and @changed at their
 * new versions. */
static void
assert_desk (KacStore   *store,
             guint       n_materials,
             guint       n_notices,
             GHashTable *changed)
{
  g_autoptr(GPtrArray) materials = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  g_auto(GStrv) missing = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed = 0;

  materials = kac_store_list_materials (store, &error);
  g_assert_no_error (error);
  notices = kac_store_list_notices (store, &error);
  g_assert_no_error (error);
  missing = kac_store_dup_missing_attachments (store, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (materials->len, ==, n_materials);
  g_assert_cmpuint (notices->len, ==, n_notices);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  for (guint i = 0; i < materials->len; i++)
    if (g_hash_table_contains (changed, ((KacMaterialInfo *) materials->pdata[i])->id))
      {
        g_assert_cmpint (((KacMaterialInfo *) materials->pdata[i])->version, ==, 2);
        n_changed++;
      }
  for (guint i = 0; i < notices->len; i++)
    if (g_hash_table_contains (changed, ((KacWireNotice *) notices->pdata[i])->id))
      {
        g_assert_cmpint (((KacWireNotice *) notices->pdata[i])->version, ==, 2);
        n_changed++;
      }
  g_assert_cmpuint (n_changed, ==, g_hash_table_size (changed));
}

int
main (int   argc,
      char *argv[])
{
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) material_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notice_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  Pull first, unchanged[N_UNCHANGED], after_changes;
  guint64 unchanged_bytes = 0;
  guint unchanged_requests = 0;
  Bench bench = { 0 };
  gint64 start;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  /* Both stores (the server's too) on the build directory's disk. */
  g_setenv ("TMPDIR", build_dir != NULL ? build_dir : ".", TRUE);
  bench.central = kac_test_central_new ();
  token = kac_test_central_issue_token (bench.central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  dir = kac_test_make_tmp_dir ("bench-materials-pull-XXXXXX");
  path = g_build_filename (dir, "registrations.db", NULL);
  {
    g_autoptr(KacCentralUser) user = kac_central_store_lookup_user (bench.central->store,
                                                                    KAC_TEST_INSTITUTION, &error);

    g_assert_no_error (error);
    g_assert_nonnull (user);
    bench.user_id = user->id;
  }

  /* The server's side. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_MATERIALS; i++)
    {
      g_autofree char *sha256 = NULL;

      if (i < N_ATTACHMENTS)
        {
          g_autofree guint8 *data = g_malloc (ATTACHMENT_SIZE);
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          for (guint b = 0; b < ATTACHMENT_SIZE; b++)
            data[b] = (guint8) g_rand_int (rand);
          bytes = g_bytes_new_take (g_steal_pointer (&data), ATTACHMENT_SIZE);
          sha256 = kac_central_store_put_attachment (bench.central->store, bytes, "application/pdf",
                                                     bench.user_id, now, &error);
          g_assert_no_error (error);
        }
      g_ptr_array_add (material_ids, publish_material (&bench, rand, NULL, i, sha256));
    }
  for (guint i = 0; i < N_NOTICES; i++)
    g_ptr_array_add (notice_ids, publish_notice (&bench, NULL, i));
  printf ("# bench-materials-pull: kac-central in-process, HTTPS on 127.0.0.1; published %u materials "
          "(%u with a %u KiB attachment) and %u notices in %.2f s\n",
          N_MATERIALS, N_ATTACHMENTS, ATTACHMENT_SIZE / 1024, N_NOTICES,
          (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* The desk. */
  store = kac_store_open (path, &error);
  g_assert_no_error (error);
  bench.engine = kac_sync_engine_new (store);
  /* No polling of its own during the benchmark: every round is one this code starts. */
  _kac_sync_engine_set_timing (bench.engine, 50, 400, 0, 60 * 60 * 1000);
  kac_sync_engine_set_server_uri (bench.engine, bench.central->uri);
  kac_sync_engine_set_ca_file (bench.engine, bench.central->ca_file);
  g_signal_connect (bench.engine, "notify::last-sync", G_CALLBACK (last_sync_cb), &bench);

  first = pull (&bench, token);
  assert_desk (store, N_MATERIALS, N_NOTICES, changed);
  printf ("# first full pull:        %8.3f s, %4u requests, %9" G_GUINT64_FORMAT " bytes received\n",
          first.seconds, first.requests, first.bytes);

  for (guint i = 0; i < N_UNCHANGED; i++)
    {
      unchanged[i] = pull (&bench, NULL);
      unchanged_bytes = MAX (unchanged_bytes, unchanged[i].bytes);
      unchanged_requests = MAX (unchanged_requests, unchanged[i].requests);
    }
  qsort (unchanged, N_UNCHANGED, sizeof unchanged[0], compare_pulls);
  printf ("# unchanged pull:         %8.3f s (median of %u, max %.3f s), %4u requests, %9"
          G_GUINT64_FORMAT " bytes received (at most)\n",
          unchanged[N_UNCHANGED / 2].seconds, N_UNCHANGED, unchanged[N_UNCHANGED - 1].seconds,
          unchanged_requests, unchanged_bytes);

  /* Ten changes: five materials get a second version, three notices too, two are new. */
  for (guint i = 0; i < 5; i++)
    {
      const char *id = material_ids->pdata[N_MATERIALS - 1 - i * 7];

      g_free (publish_material (&bench, rand, id, N_MATERIALS + i, NULL));
      g_hash_table_add (changed, g_strdup (id));
    }
  for (guint i = 0; i < 3; i++)
    {
      const char *id = notice_ids->pdata[i * 100 + 3];

      g_free (publish_notice (&bench, id, N_NOTICES + i));
      g_hash_table_add (changed, g_strdup (id));
    }
  for (guint i = 0; i < 2; i++)
    g_free (publish_notice (&bench, NULL, N_NOTICES + 3 + i));

  after_changes = pull (&bench, NULL);
  assert_desk (store, N_MATERIALS, N_NOTICES + 2, changed);
  printf ("# pull after 10 changes:  %8.3f s, %4u requests, %9" G_GUINT64_FORMAT " bytes received\n",
          after_changes.seconds, after_changes.requests, after_changes.bytes);

  kac_sync_engine_stop (bench.engine);
  kac_test_run_for (100);
  g_clear_object (&bench.engine);
  g_clear_object (&store);
  kac_test_central_free (bench.central);
  kac_test_remove_tree (dir);
  g_rand_free (rand);

  return 0;
}
