/* bench-materials-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full-text search over 10,000 cached materials (issue 4: p95 ≤ 5 ms), on text shaped like the
 * real thing: a vocabulary of several thousand generated Latvian-like words with diacritics
 * plus real function and domain words, drawn with Zipf frequencies (word of rank r has weight
 * 1/r), so a common word is in most materials and a rare one in a few; titles of 4–10 words,
 * bodies of 150–600 words in paragraphs under headings. Each kind of query the clerk types is
 * timed separately, through kac_store_search_materials() exactly as the desk calls it (100 hits
 * with highlighted titles and snippets). Prints the figures; asserts nothing but that the
 * searches succeed and find what the data holds.
 *
 * BENCH_ROUNDS (environment) sets the number of timed rounds (default 200), BENCH_LIMIT the
 * number of hits asked for (default 100, what the desk's materials page asks).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kac-store-materials.h"

#define N_MATERIALS   10000
#define PAGE_SIZE     500
#define N_GENERATED   6000

/* Real words at the top of the frequency list (Latvian function words), then domain words
 * at the ranks where they are placed below. */
static const char * const function_words[] = {
  "un", "ir", "par", "ar", "uz", "no", "lai", "vai", "kas", "ja", "tiek", "var", "to", "pēc",
  "kā", "arī", "gadā", "līdz", "kur", "nav",
};

/* Domain words, each with the inflected forms a text uses (so that a prefix such as "bērn"
 * matches several terms, as in real Latvian), and the rank of its first form in the Zipf list:
 * a few common, most in the middle, some rare. */
static const struct { const char *forms; guint rank; } domain_words[] = {
  { "pabalsts pabalsta pabalstu pabalstam pabalsti pabalstiem", 25 },
  { "iesniegums iesnieguma iesniegumu iesniegumi", 30 },
  { "pakalpojums pakalpojuma pakalpojumu pakalpojumi", 35 },
  { "klientam klients klienta klientu", 40 },
  { "valsts", 45 },
  { "bērna bērns bērnam bērnu bērni bērniem", 60 },
  { "kopšanas kopšana kopšanai", 80 },
  { "ģimenes ģimene ģimenei", 90 },
  { "termiņš termiņa termiņu", 110 },
  { "deklarācija deklarācijas deklarāciju deklarācijā", 120 },
  { "pase pases pasi", 150 },
  { "pensija pensijas pensiju pensijai", 200 },
  { "dzīvesvieta dzīvesvietas dzīvesvietu", 260 },
  { "nodoklis nodokļa nodokli nodokļu", 300 },
  { "vecuma vecums", 350 },
  { "īpašums īpašuma īpašumu", 420 },
  { "kadastrs kadastra kadastru", 500 },
  { "uzņēmums uzņēmuma uzņēmumu", 600 },
  { "reģistrs reģistra reģistrā", 700 },
  { "bezdarbnieks bezdarbnieka bezdarbnieku", 900 },
  { "slimība slimības slimību", 1100 },
  { "invaliditāte invaliditātes invaliditāti", 1400 },
  { "stāžs stāža stāžu", 1700 },
  { "apbedīšana apbedīšanas apbedīšanai", 2200 },
  { "maternitāte maternitātes", 3000 },
  { "paternitāte paternitātes", 4200 },
};

/* Set phrases of the domain, which real instructions repeat. */
static const char * const collocations[] = {
  "bērna kopšanas pabalsts", "bērna kopšanas pabalstu", "vecuma pensija", "vecuma pensiju",
  "iedzīvotāju ienākuma nodoklis", "valsts sociālās apdrošināšanas aģentūra",
  "deklarētā dzīvesvieta", "nekustamā īpašuma nodoklis", "personu apliecinošs dokuments",
};

static const char * const onsets[] = {
  "b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "c", "j",
  "č", "š", "ž", "ķ", "ģ", "ļ", "ņ", "br", "dr", "gr", "kr", "pr", "tr", "st", "sk", "sp", "pl",
  "kl", "zv", "šķ", "dz", "dž",
};
static const char * const vowels[] = {
  "a", "e", "i", "u", "o", "ā", "ē", "ī", "ū", "ie", "ai", "au", "ei",
};
static const char * const endings[] = {
  "s", "a", "as", "u", "am", "ai", "ība", "šana", "ums", "ājs", "īgs", "ēt", "ot", "is", "e",
  "es", "iem", "ām", "ņa", "ļu",
};

typedef struct
{
  GPtrArray *words;     /* by rank, rank 1 first */
  double    *cumulative; /* cumulative Zipf weights */
} Vocabulary;

static char *
generate_stem (GRand *rand)
{
  GString *stem = g_string_new (NULL);
  guint syllables = g_rand_int_range (rand, 1, 4);

  for (guint s = 0; s < syllables; s++)
    {
      g_string_append (stem, onsets[g_rand_int_range (rand, 0, G_N_ELEMENTS (onsets))]);
      g_string_append (stem, vowels[g_rand_int_range (rand, 0, G_N_ELEMENTS (vowels))]);
    }
  g_string_append (stem, onsets[g_rand_int_range (rand, 0, G_N_ELEMENTS (onsets))]);
  return g_string_free (stem, FALSE);
}

static void
vocabulary_init (Vocabulary *vocabulary,
                 GRand      *rand)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n;
  double total = 0;

  vocabulary->words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (function_words); i++)
    {
      g_ptr_array_add (vocabulary->words, g_strdup (function_words[i]));
      g_hash_table_add (seen, g_strdup (function_words[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (domain_words); i++)
    {
      g_auto(GStrv) forms = g_strsplit (domain_words[i].forms, " ", -1);

      for (guint f = 0; forms[f] != NULL; f++)
        g_hash_table_add (seen, g_steal_pointer (&forms[f]));
    }

  /* Generated stems, each with two to five endings; the forms of one stem get nearby ranks
   * (a shuffle within a window keeps them from being strictly adjacent). */
  while (vocabulary->words->len < N_GENERATED)
    {
      g_autofree char *stem = generate_stem (rand);
      guint n_forms = g_rand_int_range (rand, 2, 6);

      for (guint f = 0; f < n_forms; f++)
        {
          char *word = g_strconcat (stem, endings[g_rand_int_range (rand, 0, G_N_ELEMENTS (endings))],
                                    NULL);

          if (g_hash_table_contains (seen, word))
            {
              g_free (word);
              continue;
            }
          g_hash_table_add (seen, g_strdup (word));
          g_ptr_array_add (vocabulary->words, word);
        }
    }
  for (guint i = G_N_ELEMENTS (function_words); i + 8 < vocabulary->words->len; i++)
    {
      guint j = g_rand_int_range (rand, i, i + 8);
      gpointer swap = vocabulary->words->pdata[i];

      vocabulary->words->pdata[i] = vocabulary->words->pdata[j];
      vocabulary->words->pdata[j] = swap;
    }

  /* Domain words go to their ranks (the first form at the given rank r, index r - 1, the
   * others every few ranks after it), ascending so that earlier insertions do not shift
   * later ones. */
  for (guint rank = 1; rank <= 5000; rank++)
    for (guint i = 0; i < G_N_ELEMENTS (domain_words); i++)
      if (domain_words[i].rank == rank)
        {
          g_auto(GStrv) forms = g_strsplit (domain_words[i].forms, " ", -1);

          for (guint f = 0; forms[f] != NULL; f++)
            g_ptr_array_insert (vocabulary->words, rank - 1 + f * (f + 2), g_strdup (forms[f]));
        }

  n = vocabulary->words->len;
  vocabulary->cumulative = g_new (double, n);
  for (guint i = 0; i < n; i++)
    vocabulary->cumulative[i] = (total += 1.0 / (i + 1));
}

static const char *
vocabulary_pick (Vocabulary *vocabulary,
                 GRand      *rand)
{
  guint n = vocabulary->words->len, low = 0, high = n - 1;
  double x = g_rand_double (rand) * vocabulary->cumulative[n - 1];

  while (low < high)
    {
      guint mid = (low + high) / 2;

      if (vocabulary->cumulative[mid] < x)
        low = mid + 1;
      else
        high = mid;
    }
  return vocabulary->words->pdata[low];
}

static void
append_words (GString    *text,
              Vocabulary *vocabulary,
              GRand      *rand,
              guint       n,
              gboolean    sentences)
{
  guint in_sentence = 0;

  for (guint w = 0; w < n; w++)
    {
      /* About one word in 500 starts a set phrase (counted as one word). */
      const char *word = g_rand_int_range (rand, 0, 500) == 0
                         ? collocations[g_rand_int_range (rand, 0, G_N_ELEMENTS (collocations))]
                         : vocabulary_pick (vocabulary, rand);

      if (in_sentence == 0 && sentences)
        {
          g_string_append_unichar (text, g_unichar_toupper (g_utf8_get_char (word)));
          g_string_append (text, g_utf8_next_char (word));
        }
      else
        g_string_append (text, word);
      in_sentence++;
      if (sentences && (w == n - 1 || g_rand_int_range (rand, 0, 12) == 0))
        {
          g_string_append (text, g_rand_int_range (rand, 0, 5) == 0 ? ".\n\n" : ". ");
          in_sentence = 0;
        }
      else if (w < n - 1)
        g_string_append_c (text, ' ');
    }
}

/* This thread's CPU time in ms: on a busy machine wall-clock percentiles include waiting for
 * a CPU; the CPU time tells what the search itself costs. */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* How many materials the index matches, through a second, read-only connection. */
static int
count_matches (const char *path,
               const char *match)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT count(*) FROM materials_fts WHERE materials_fts MATCH ?1",
                             -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

int
main (int   argc,
      char *argv[])
{
  /* The clerk's queries, and the same as an FTS5 expression for counting the matches. */
  static const struct { const char *kind; const char *query; const char *match; } queries[] = {
    { "1 word, common",             "pabalsts",            "\"pabalsts\"*" },
    { "1 word, common, no diacr.",  "berna",               "\"berna\"*" },
    { "1 word, common, diacritics", "bērna",               "\"bērna\"*" },
    { "1 word, rare",               "paternitāte",         "\"paternitāte\"*" },
    { "1 word, rare, no diacr.",    "maternitate",         "\"maternitate\"*" },
    { "1 word prefix (6 forms)",    "bērn",                "\"bērn\"*" },
    { "2 word prefixes",            "bern kops",           "\"bern\"* \"kops\"*" },
    { "2 word prefixes, diacr.",    "deklar pase",         "\"deklar\"* \"pase\"*" },
    { "2 letters prefix",           "pa",                  "\"pa\"*" },
    { "phrase, no diacritics",      "\"berna kopsanas\"",  "\"berna kopsanas\"" },
    { "phrase, diacritics",         "\"bērna kopšanas\"",  "\"bērna kopšanas\"" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kac-bench-search-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autofree char *attachments = NULL;
  g_autoptr(KacStore) store = kac_store_open (path, &error);
  const char *rounds_env = g_getenv ("BENCH_ROUNDS");
  guint rounds = rounds_env != NULL ? (guint) MAX (1, atoi (rounds_env)) : 200;
  const char *limit_env = g_getenv ("BENCH_LIMIT");
  guint limit = limit_env != NULL ? (guint) MAX (1, atoi (limit_env)) : 100;
  g_autofree double *times = g_new (double, rounds);
  g_autofree double *cpu = g_new (double, rounds);
  g_autofree double *all = g_new (double, rounds * G_N_ELEMENTS (queries));
  const char *institutions[] = { "LAD", "NVA", "UR", "PMLP", "VID", "VSAA", "VZD" };
  GRand *rand = g_rand_new_with_seed (42);
  Vocabulary vocabulary;
  guint64 n_words = 0;
  guint n_all = 0;
  gint64 start;

  g_assert_no_error (error);
  vocabulary_init (&vocabulary, rand);

  start = g_get_monotonic_time ();
  for (guint base = 0; base < N_MATERIALS; base += PAGE_SIZE)
    {
      g_autoptr(KacWireFeedPage) page = kac_wire_materials_page_new ();

      page->cursor = g_strdup_printf ("bench.%u", base + PAGE_SIZE);
      page->more = base + PAGE_SIZE < N_MATERIALS;
      for (guint i = base; i < base + PAGE_SIZE; i++)
        {
          KacWireMaterial *material = kac_wire_material_new ();
          const char *institution = institutions[i % G_N_ELEMENTS (institutions)];
          g_autoptr(GString) title = g_string_new (NULL);
          g_autoptr(GString) body = g_string_new (NULL);
          guint n_body = g_rand_int_range (rand, 150, 601);
          char *services[] = { g_strdup_printf ("%s-%02u", institution, i % 40), NULL };

          append_words (title, &vocabulary, rand, g_rand_int_range (rand, 4, 11), FALSE);
          /* Headings every 60–120 words, a list now and then, like a real instruction. */
          for (guint done = 0; done < n_body;)
            {
              guint chunk = MIN (n_body - done, (guint) g_rand_int_range (rand, 60, 121));

              g_string_append (body, "## ");
              append_words (body, &vocabulary, rand, 3, FALSE);
              g_string_append (body, "\n\n");
              if (g_rand_int_range (rand, 0, 4) == 0 && chunk > 12)
                {
                  for (guint item = 0; item < 3; item++)
                    {
                      g_string_append (body, "- ");
                      append_words (body, &vocabulary, rand, 4, FALSE);
                      g_string_append_c (body, '\n');
                    }
                  g_string_append_c (body, '\n');
                  chunk -= 12;
                  done += 12;
                }
              append_words (body, &vocabulary, rand, chunk, TRUE);
              g_string_append (body, "\n\n");
              done += chunk + 3;
            }
          n_words += n_body;

          material->id = g_uuid_string_random ();
          material->version = 1;
          material->institution = g_strdup (institution);
          material->title = g_string_free (g_steal_pointer (&title), FALSE);
          material->services = g_strdupv (services);
          material->body = g_string_free (g_steal_pointer (&body), FALSE);
          material->updated_at = g_date_time_new_now_utc ();
          g_ptr_array_add (page->items, material);
          g_free (services[0]);
        }
      if (!kac_store_apply_materials_page (store, page, NULL, &error))
        g_error ("%s", error->message);
    }
  printf ("# filled %u materials (%u-word Zipf vocabulary, %.0f body words on average) in %.2f s\n",
          N_MATERIALS, vocabulary.words->len, (double) n_words / N_MATERIALS,
          (g_get_monotonic_time () - start) / 1e6);
  printf ("# %u timed rounds per query, after one warm-up round; up to %u hits with highlighted "
          "title and snippet\n", rounds, limit);
  printf ("# %-28s %-22s %7s %8s %8s %8s %8s %8s\n", "query", "typed", "matches", "p50 ms", "p95 ms",
          "p99 ms", "max ms", "cpu p50");

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) warm = kac_store_search_materials (store, queries[q].query, limit, &error);
      int matches = count_matches (path, queries[q].match);

      g_assert_no_error (error);
      /* Every query is chosen to find something in this data. */
      g_assert_cmpuint (warm->len, >, 0);
      g_assert_cmpuint (warm->len, ==, MIN ((guint) matches, limit));

      for (guint round = 0; round < rounds; round++)
        {
          g_autoptr(GPtrArray) hits = NULL;

          double cpu_start = thread_cpu_ms ();

          start = g_get_monotonic_time ();
          hits = kac_store_search_materials (store, queries[q].query, limit, &error);
          times[round] = (g_get_monotonic_time () - start) / 1000.0;
          cpu[round] = thread_cpu_ms () - cpu_start;
          g_assert_no_error (error);
          all[n_all++] = times[round];
        }
      qsort (times, rounds, sizeof times[0], compare_doubles);
      qsort (cpu, rounds, sizeof cpu[0], compare_doubles);
      /* printf pads bytes, not characters. */
      printf ("# %-28s %-*s %7d %8.2f %8.2f %8.2f %8.2f %8.2f\n", queries[q].kind,
              (int) (22 + strlen (queries[q].query) - g_utf8_strlen (queries[q].query, -1)),
              queries[q].query, matches, times[rounds / 2], times[rounds * 95 / 100], times[rounds * 99 / 100],
              times[rounds - 1], cpu[rounds / 2]);
    }

  qsort (all, n_all, sizeof all[0], compare_doubles);
  printf ("# all %u searches: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (target p95 <= 5 ms)\n",
          n_all, all[n_all / 2], all[n_all * 95 / 100], all[n_all * 99 / 100], all[n_all - 1]);

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
  g_ptr_array_unref (vocabulary.words);
  g_free (vocabulary.cumulative);
  g_rand_free (rand);
  return 0;
}
