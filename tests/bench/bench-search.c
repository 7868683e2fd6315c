/* bench-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One keystroke of catalogue search, as a clerk types: each query is searched after every
 * character ("b", "be", "ber", … "berna kopsanas"), over the sample catalogue and over a
 * synthetic catalogue of 2,000 services. Prints per-keystroke percentiles in microseconds
 * (target: well under 1 ms). Asserts nothing about speed, but fails on a wrong result.
 */
#define G_LOG_DOMAIN "bench-search"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kac-catalog.h"
#include "kac-test-util.h"

#define ROUNDS 50

static const char *queries[] = {
  "berna kopsanas",
  "KOPŠ BĒR",
  "pmlp pase",
  "vid dekl",
  "dzivesvietas deklaresana",
  "vsaa-01",
  "p294",
  "bezdarbnieka pabalsts",
  "uznemumu registrs izzina",
  "vzd kadastra",
  "videokonsultacija",
};

/* Nanoseconds of the monotonic clock: g_get_monotonic_time() has only microseconds, and one
 * keystroke on the sample catalogue takes about one. */
static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* Institutions of the real basket, and words to make plausible service names from. */
static const char *institution_codes[] = { "LAD", "NVA", "UR", "PMLP", "VID", "VSAA", "VZD" };
static const char *words[] = {
  "pabalsts", "pensija", "izziņa", "reģistrācija", "iesniegums", "deklarācija", "atļauja",
  "bērna", "kopšanas", "ģimenes", "zemes", "kadastra", "nodokļa", "pases", "uzturēšanās",
  "dzīvesvietas", "apliecība", "maksājums", "atbalsts", "konsultācija", "izmaiņas", "atmaksa",
  "sertifikāts", "licence", "īpašuma", "vērtība", "darba", "meklētāja", "statusa", "uzņēmuma",
};

static GBytes *
make_synthetic_catalog (guint n_services)
{
  g_autoptr(GString) json = g_string_new ("{\"sample\": true, \"institutions\": [");
  GRand *rand = g_rand_new_with_seed (20240611);

  for (guint i = 0; i < G_N_ELEMENTS (institution_codes); i++)
    g_string_append_printf (json, "%s{\"code\": \"%s\", \"name_lv\": \"Iestāde %s\"}",
                            i > 0 ? ", " : "", institution_codes[i], institution_codes[i]);
  g_string_append (json, "], \"services\": [");

  for (guint i = 0; i < n_services; i++)
    {
      const char *institution = institution_codes[i % G_N_ELEMENTS (institution_codes)];
      guint n_words = g_rand_int_range (rand, 2, 7);

      g_string_append_printf (json, "%s{\"code\": \"%s-%04u\", \"institution\": \"%s\", "
                              "\"catalog_id\": \"p%u\", \"name_lv\": \"",
                              i > 0 ? ", " : "", institution, i, institution, 1000 + i);
      for (guint w = 0; w < n_words; w++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          if (w == 0)
            {
              /* Capitalise the first letter, diacritics included. */
              gunichar c = g_unichar_toupper (g_utf8_get_char (word));
              g_string_append_unichar (json, c);
              g_string_append (json, g_utf8_next_char (word));
            }
          else
            {
              g_string_append_printf (json, " %s", word);
            }
        }
      g_string_append_printf (json, " %u\", \"name_en\": \"Synthetic service %u\"}", i, i);
    }
  g_string_append (json, "]}");

  g_rand_free (rand);

  return g_string_free_to_bytes (g_steal_pointer (&json));
}

/* Every result must really match the query: each query word a prefix of a word of the
 * service's searchable text. Checked outside the timed section. */
static gboolean
service_matches (KacService *service,
                 const char *query)
{
  g_autofree char *text = g_strjoin (" ",
                                     kac_service_get_name (service),
                                     kac_service_get_name_en (service) ? kac_service_get_name_en (service) : "",
                                     kac_service_get_institution_code (service),
                                     kac_service_get_institution_name (service),
                                     kac_service_get_code (service),
                                     kac_service_get_catalog_id (service) ? kac_service_get_catalog_id (service) : "",
                                     NULL);
  g_autofree char *folded_text = kac_fold_for_search (text);
  g_autofree char *folded_query = kac_fold_for_search (query);
  g_auto(GStrv) text_words = g_regex_split_simple ("[^[:alnum:]]+", folded_text, 0, 0);
  g_auto(GStrv) query_words = g_regex_split_simple ("[^[:alnum:]]+", folded_query, 0, 0);

  for (guint q = 0; query_words[q] != NULL; q++)
    {
      gboolean found = FALSE;

      if (*query_words[q] == '\0')
        continue;
      for (guint t = 0; text_words[t] != NULL && !found; t++)
        found = g_str_has_prefix (text_words[t], query_words[q]);
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static gboolean
run (const char *label,
     KacCatalog *catalog)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  KacTestStats ns;
  guint n_services = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  gboolean ok = TRUE;

  for (guint round = 0; round < ROUNDS; round++)
    {
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          const char *query = queries[q];

          /* Each prefix of the query, character by character (UTF-8 aware). */
          for (const char *end = g_utf8_next_char (query); ; end = g_utf8_next_char (end))
            {
              g_autofree char *typed = g_strndup (query, end - query);
              g_autoptr(GListModel) results = NULL;
              gint64 start;
              double elapsed;

              start = now_ns ();
              results = kac_catalog_search (catalog, typed);
              elapsed = now_ns () - start;
              g_array_append_val (times, elapsed);

              if (round == 0)
                {
                  guint n = g_list_model_get_n_items (results);

                  for (guint i = 0; i < n; i++)
                    {
                      g_autoptr(KacService) service = g_list_model_get_item (results, i);

                      if (!service_matches (service, typed))
                        {
                          g_printerr ("%s: “%s” returned %s, which does not match\n",
                                      label, typed, kac_service_get_code (service));
                          ok = FALSE;
                        }
                    }
                }

              if (*end == '\0')
                break;
            }
        }
    }

  /* In microseconds, from nanoseconds. */
  kac_test_stats_compute (&ns, &g_array_index (times, double, 0), times->len);
  printf ("%-24s %8u %10u %8.1f %8.1f %8.1f %8.1f\n",
          label, n_services, ns.n,
          ns.p50 / 1000.0, ns.p95 / 1000.0, ns.p99 / 1000.0, ns.max / 1000.0);

  return ok;
}

/* Known answers that the benchmark relies on, so that a broken search cannot look fast. */
static gboolean
check_known_answers (KacCatalog *sample)
{
  struct { const char *query; const char *name; } cases[] = {
    { "berna kopsanas", "Bērna kopšanas pabalsts" },
    { "p294", "Bezdarbnieka pabalsts" },
    { "pmlp pase", "Pases izsniegšana" },
    { "vid dekl", "Gada ienākumu deklarācijas iesniegšana" },
  };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) results = kac_catalog_search (sample, cases[i].query);
      gboolean found = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (results) && !found; j++)
        {
          g_autoptr(KacService) service = g_list_model_get_item (results, j);

          found = g_str_equal (kac_service_get_name (service), cases[i].name);
        }

      if (!found)
        {
          g_printerr ("“%s” does not find “%s”\n", cases[i].query, cases[i].name);
          ok = FALSE;
        }
    }

  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KacCatalog) sample = kac_catalog_new_sample ();
  g_autoptr(GBytes) synthetic_json = make_synthetic_catalog (2000);
  g_autoptr(KacCatalog) synthetic = NULL;
  g_autoptr(GHashTable) usage = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gint64 start, load_ns;
  gboolean ok = TRUE;

  start = now_ns ();
  synthetic = kac_catalog_new_from_bytes (synthetic_json, &error);
  load_ns = now_ns () - start;
  if (synthetic == NULL)
    {
      g_printerr ("The synthetic catalogue does not load: %s\n", error->message);
      return 1;
    }

  ok &= check_known_answers (sample);

  printf ("Catalogue search, one call per keystroke (%u rounds of %u typed queries), microseconds\n\n",
          ROUNDS, (guint) G_N_ELEMENTS (queries));
  printf ("%-24s %8s %10s %8s %8s %8s %8s\n",
          "catalogue", "services", "keystrokes", "p50", "p95", "p99", "max");
  ok &= run ("sample", sample);
  ok &= run ("synthetic", synthetic);

  /* With usage counts, as on a real terminal (the order changes, not the work). */
  for (guint i = 0; i < 2000; i += 7)
    {
      g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (synthetic), i);

      g_hash_table_insert (usage, (gpointer) kac_service_get_code (service), GUINT_TO_POINTER (i % 50 + 1));
    }
  kac_catalog_set_usage (synthetic, usage);
  ok &= run ("synthetic, with usage", synthetic);

  printf ("\nLoading the 2,000-service catalogue (parse, fold, index, sort): %.1f ms\n",
          load_ns / 1e6);

  if (!ok)
    {
      g_printerr ("Search returned wrong results: see above.\n");
      return 1;
    }

  return 0;
}
