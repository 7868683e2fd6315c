/* bench-materials-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full-text search over 10,000 cached materials (issue 4: p95 ≤ 5 ms): prefix words without
 * diacritics, two words, a phrase. Prints the figures; asserts nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "kac-store-materials.h"

#define N_MATERIALS 10000
#define PAGE_SIZE   500

static const char * const words[] = {
  "bērna", "kopšanas", "pabalsts", "pensija", "vecuma", "iesniegums", "deklarācija", "nodoklis",
  "īpašums", "zeme", "kadastrs", "uzņēmums", "reģistrs", "pase", "dzīvesvieta", "bezdarbnieks",
  "apmācība", "slimība", "maternitāte", "paternitāte", "apbedīšana", "invaliditāte", "stāžs",
  "iesniegt", "portālā", "klientam", "jāuzrāda", "dokuments", "termiņš", "lēmums",
};

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kac-bench-search-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autofree char *attachments = NULL;
  g_autoptr(KacStore) store = kac_store_open (path, &error);
  const char * const queries[] = { "berna", "pabal", "vecuma pensija", "\"kopsanas pabalsts\"",
                                   "deklar nodok", "zeme kadastrs" };
  GRand *rand = g_rand_new_with_seed (42);
  double times[600];
  guint n_times = 0;
  gint64 start;
  const char *services[] = { "VSAA-01", NULL };

  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint base = 0; base < N_MATERIALS; base += PAGE_SIZE)
    {
      g_autoptr(KacWireFeedPage) page = kac_wire_materials_page_new ();

      page->cursor = g_strdup_printf ("bench.%u", base + PAGE_SIZE);
      page->more = base + PAGE_SIZE < N_MATERIALS;
      for (guint i = base; i < base + PAGE_SIZE; i++)
        {
          KacWireMaterial *material = kac_wire_material_new ();
          g_autoptr(GString) body = g_string_new ("# Kā pieteikt\n\n");

          for (guint w = 0; w < 300; w++)
            g_string_append_printf (body, "%s%s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                    w % 20 == 19 ? ".\n\n" : " ");
          material->id = g_uuid_string_random ();
          material->version = 1;
          material->institution = g_strdup ("VSAA");
          material->title = g_strdup_printf ("%s %s %u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                             words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i);
          material->services = g_strdupv ((GStrv) services);
          material->body = g_string_free (g_steal_pointer (&body), FALSE);
          material->updated_at = g_date_time_new_now_utc ();
          g_ptr_array_add (page->items, material);
        }
      if (!kac_store_apply_materials_page (store, page, NULL, &error))
        g_error ("%s", error->message);
    }
  printf ("# filled %u materials (~300 words each) in %.2f s\n", N_MATERIALS,
          (g_get_monotonic_time () - start) / 1e6);

  for (guint round = 0; round < 100; round++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        g_autoptr(GPtrArray) hits = NULL;

        start = g_get_monotonic_time ();
        hits = kac_store_search_materials (store, queries[q], 50, &error);
        times[n_times++] = (g_get_monotonic_time () - start) / 1000.0;
        g_assert_no_error (error);
        g_assert_nonnull (hits);
      }

  qsort (times, n_times, sizeof times[0], compare_doubles);
  printf ("# search, 50 hits with snippets, %u queries: median %.2f ms, p95 %.2f ms, max %.2f ms "
          "(target p95 <= 5 ms)\n",
          n_times, times[n_times / 2], times[n_times * 95 / 100], times[n_times - 1]);

  g_clear_object (&store);
  attachments = g_build_filename (dir, "attachments", NULL);
  g_rmdir (attachments);
  {
    const char *suffixes[] = { "", "-wal", "-shm", ".lock" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_unlink (file);
      }
  }
  g_rmdir (dir);
  g_rand_free (rand);
  return 0;
}
