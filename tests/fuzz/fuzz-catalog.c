/* fuzz-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogue loader on arbitrary documents (the desk reads the catalogue the central system
 * sends, and kac-central reads an operator's file), through kac_wire_decode_catalog() as both
 * do. A catalogue that loads must be coherent: every service is found by its code and by its
 * own name, the empty query lists all of them, usage reorders without losing any. Every input
 * is also used as a search query against the sample catalogue (what the clerk types).
 */
#define G_LOG_DOMAIN "fuzz-catalog"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "kac-catalog.h"
#include "kac-wire.h"

static KacCatalog *sample;

static gboolean
model_contains (GListModel *model,
                KacService *service)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KacService) item = g_list_model_get_item (model, i);

      if (item == service)
        return TRUE;
    }

  return FALSE;
}

static void
check_catalog (KacCatalog *catalog)
{
  GListModel *model = G_LIST_MODEL (catalog);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GHashTable) usage = NULL;

  KAC_FUZZ_CHECK (g_list_model_get_item_type (model) == KAC_TYPE_SERVICE);
  KAC_FUZZ_CHECK (g_list_model_get_item (model, n) == NULL);

  all = kac_catalog_search (catalog, "");
  KAC_FUZZ_CHECK (g_list_model_get_n_items (all) == n);

  usage = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KacService) service = g_list_model_get_item (model, i);
      const char *code = kac_service_get_code (service);

      KAC_FUZZ_CHECK (code != NULL && *code != '\0');
      KAC_FUZZ_CHECK (kac_catalog_lookup (catalog, code) == service);
      KAC_FUZZ_CHECK (kac_service_get_name (service) != NULL);
      KAC_FUZZ_CHECK (g_utf8_validate (kac_service_get_name (service), -1, NULL));

      /* Searching a service by its own name finds it (bounded: a search is linear). */
      if (i < 16)
        {
          g_autoptr(GListModel) found = kac_catalog_search (catalog, kac_service_get_name (service));

          KAC_FUZZ_CHECK (model_contains (found, service));
        }

      g_hash_table_insert (usage, (gpointer) code, GUINT_TO_POINTER (i % 3));
    }

  kac_catalog_set_usage (catalog, usage);
  {
    g_autoptr(GListModel) reordered = kac_catalog_search (catalog, NULL);

    KAC_FUZZ_CHECK (g_list_model_get_n_items (reordered) == n);
  }
  kac_catalog_set_usage (catalog, NULL);
}

static void
search_sample (const uint8_t *data,
               size_t         size)
{
  g_autofree char *query = kac_fuzz_strndup (data, MIN (size, 512));
  g_autofree char *folded = kac_fold_for_search (query);
  g_autoptr(GListModel) found = kac_catalog_search (sample, query);

  KAC_FUZZ_CHECK (folded != NULL);
  KAC_FUZZ_CHECK (g_list_model_get_n_items (found) <= g_list_model_get_n_items (G_LIST_MODEL (sample)));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kac_fuzz_init ();
  sample = kac_catalog_new_sample ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCatalog) catalog = NULL;

  catalog = kac_wire_decode_catalog (bytes, &error);
  if (catalog != NULL)
    {
      KAC_FUZZ_CHECK (error == NULL);
      check_catalog (catalog);
    }
  else
    {
      KAC_FUZZ_CHECK (error != NULL);
      KAC_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
    }

  search_sample (data, size);

  return 0;
}
