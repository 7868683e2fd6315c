/* test-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogue: loading (the compiled-in sample and bad files), lookup, the GListModel
 * contract, folding and search.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kac-catalog.h"

static const char *institutions_json =
  "\"institutions\": ["
  " {\"code\": \"VSAA\", \"name_lv\": \"Valsts sociālās apdrošināšanas aģentūra\","
  "  \"name_en\": \"State Social Insurance Agency\"},"
  " {\"code\": \"PMLP\", \"name_lv\": \"Pilsonības un migrācijas lietu pārvalde\","
  "  \"name_en\": \"Office of Citizenship and Migration Affairs\"}"
  "]";

static KacCatalog *
load_string (const char  *json,
             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return kac_catalog_new_from_bytes (bytes, error);
}

static KacCatalog *
load_small (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{ \"sample\": false, %s, \"services\": ["
    " {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"catalog_id\": \"p294\","
    "  \"name_lv\": \"Bezdarbnieka pabalsts\", \"name_en\": \"Unemployment benefit\"},"
    " {\"code\": \"VSAA-02\", \"institution\": \"VSAA\", \"catalog_id\": null,"
    "  \"name_lv\": \"Bērna kopšanas pabalsts\", \"name_en\": \"Childcare benefit\", \"sample\": true},"
    " {\"code\": \"VSAA-03\", \"institution\": \"VSAA\","
    "  \"name_lv\": \"Ģimenes valsts pabalsts\"},"
    " {\"code\": \"PMLP-01\", \"institution\": \"PMLP\", \"catalog_id\": null,"
    "  \"name_lv\": \"Pases izsniegšana\", \"name_en\": \"Issuing a passport\"},"
    " {\"code\": \"PMLP-02\", \"institution\": \"PMLP\","
    "  \"name_lv\": \"Dzīvesvietas deklarēšana\", \"name_en\": \"Declaration of residence\"}"
    "]}", institutions_json);
  KacCatalog *catalog = load_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);

  return catalog;
}

/* The codes of a model's services, joined by spaces, to compare whole results at once. */
static char *
codes_of (GListModel *model)
{
  GString *codes = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KacService) service = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (codes, ' ');
      g_string_append (codes, kac_service_get_code (service));
    }

  return g_string_free (codes, FALSE);
}

static char *
search_codes (KacCatalog *catalog,
              const char *query)
{
  g_autoptr(GListModel) results = kac_catalog_search (catalog, query);

  return codes_of (results);
}

static KacService *
find_by_name (KacCatalog *catalog,
              const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (catalog), i);

      if (g_strcmp0 (kac_service_get_name (service), name) == 0)
        return service;
    }

  return NULL;
}

static void
assert_list_model_contract (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);

  g_assert_true (g_list_model_get_item_type (model) == KAC_TYPE_SERVICE);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
      g_assert_true (KAC_IS_SERVICE (item));
    }
  g_assert_null (g_list_model_get_item (model, n));
  g_assert_null (g_list_model_get_item (model, n + 100));
}

/* Folding */

static void
test_fold (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "Bērna Kopšanas", "berna kopsanas" },
    { "ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž", "acegiklnsuz acegiklnsuz" },
    { "VSAA-01", "vsaa-01" },
    { "Ö é Ą", "o e a" },
    { "a\xcc\x84" "b", "ab" },   /* "ā" as a + combining macron */
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = kac_fold_for_search (cases[i].in);

      g_assert_cmpstr (folded, ==, cases[i].out);
    }

  {
    g_autofree char *folded = kac_fold_for_search (NULL);
    g_assert_cmpstr (folded, ==, "");
  }
}

/* The sample catalogue */

static void
test_sample_loads (void)
{
  g_autoptr(KacCatalog) catalog = kac_catalog_new_sample ();
  g_autoptr(GHashTable) per_institution = g_hash_table_new (g_str_hash, g_str_equal);
  static const char *institutions[] = { "LAD", "NVA", "UR", "PMLP", "VID", "VSAA", "VZD" };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  guint n_from_sources = 0;

  g_assert_true (kac_catalog_is_sample (catalog));
  g_assert_cmpuint (n, >=, 35);
  assert_list_model_contract (G_LIST_MODEL (catalog));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      const char *institution = kac_service_get_institution_code (service);
      g_autofree char *prefix = g_strconcat (institution, "-", NULL);

      g_assert_true (g_str_has_prefix (kac_service_get_code (service), prefix));
      g_assert_nonnull (kac_service_get_institution_name (service));
      g_assert_nonnull (kac_service_get_name_en (service));
      g_assert_true (kac_catalog_lookup (catalog, kac_service_get_code (service)) == service);
      if (!kac_service_get_sample (service))
        n_from_sources++;
      g_hash_table_insert (per_institution, (gpointer) institution,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_institution,
                                                                                     institution)) + 1));
    }

  /* Every institution of the basket is there with several services, and the entries taken from
   * public sources (data/basket.json) are not marked as sample data. */
  g_assert_cmpuint (g_hash_table_size (per_institution), ==, G_N_ELEMENTS (institutions));
  for (guint i = 0; i < G_N_ELEMENTS (institutions); i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (per_institution, institutions[i])), >=, 5);
  g_assert_cmpuint (n_from_sources, ==, 8);
}

static void
test_sample_matches_source_file (void)
{
  g_autoptr(KacCatalog) catalog = kac_catalog_new_sample ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "catalog",
                                                 "sample-catalog.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *services;

  /* The compiled-in resource is the file in data/: same services, same order. */
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  services = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "services");
  g_assert_cmpuint (json_array_get_length (services), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (catalog)));
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *object = json_array_get_object_element (services, i);
      g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (catalog), i);

      g_assert_cmpstr (kac_service_get_code (service), ==, json_object_get_string_member (object, "code"));
      g_assert_cmpstr (kac_service_get_name (service), ==, json_object_get_string_member (object, "name_lv"));
      if (!kac_service_get_sample (service))
        g_assert_true (json_object_has_member (object, "source"));
    }
}

static void
test_sample_search (void)
{
  g_autoptr(KacCatalog) catalog = kac_catalog_new_sample ();
  KacService *childcare = find_by_name (catalog, "Bērna kopšanas pabalsts");
  KacService *unemployment;
  g_autofree char *codes = NULL;
  g_autoptr(GListModel) pmlp = NULL;
  guint n_pmlp = 0;

  g_assert_nonnull (childcare);
  g_assert_cmpstr (kac_service_get_institution_code (childcare), ==, "VSAA");

  /* The issue's example, then the same words shortened, in capitals, in the other order. */
  codes = search_codes (catalog, "berna kopsanas");
  g_assert_cmpstr (codes, ==, kac_service_get_code (childcare));
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "KOPŠ BĒR");
  g_assert_cmpstr (codes, ==, kac_service_get_code (childcare));
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "  kopš,  bēr.  ");
  g_assert_cmpstr (codes, ==, kac_service_get_code (childcare));
  g_clear_pointer (&codes, g_free);
  /* The English name is searched too. */
  codes = search_codes (catalog, "childcare");
  g_assert_cmpstr (codes, ==, kac_service_get_code (childcare));
  g_clear_pointer (&codes, g_free);

  /* An institution's code lists exactly its services. */
  pmlp = kac_catalog_search (catalog, "pmlp");
  assert_list_model_contract (pmlp);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (catalog), i);

      if (g_str_equal (kac_service_get_institution_code (service), "PMLP"))
        n_pmlp++;
    }
  g_assert_cmpuint (n_pmlp, >=, 5);
  g_assert_cmpuint (g_list_model_get_n_items (pmlp), ==, n_pmlp);
  for (guint i = 0; i < g_list_model_get_n_items (pmlp); i++)
    {
      g_autoptr(KacService) service = g_list_model_get_item (pmlp, i);

      g_assert_cmpstr (kac_service_get_institution_code (service), ==, "PMLP");
    }

  /* The institution's name as well: "ienemumu" is in Valsts ieņēmumu dienests (VID). "vid"
   * finds all of VID's services and, by prefix, the video consultations of the others. */
  {
    g_autoptr(GListModel) vid = kac_catalog_search (catalog, "ienemumu");
    g_autoptr(GListModel) vid_code = kac_catalog_search (catalog, "vid");
    g_autoptr(GListModel) video = kac_catalog_search (catalog, "videokonsultacija");
    guint n_vid = 0, n_video_elsewhere = 0;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
      {
        g_autoptr(KacService) service = g_list_model_get_item (G_LIST_MODEL (catalog), i);

        if (g_str_equal (kac_service_get_institution_code (service), "VID"))
          n_vid++;
        else if (g_str_has_prefix (kac_service_get_name (service), "Videokonsultācija"))
          n_video_elsewhere++;
      }
    g_assert_cmpuint (n_vid, >=, 5);
    g_assert_cmpuint (n_video_elsewhere, >=, 1);
    g_assert_cmpuint (g_list_model_get_n_items (vid), ==, n_vid);
    for (guint i = 0; i < n_vid; i++)
      {
        g_autoptr(KacService) service = g_list_model_get_item (vid, i);

        g_assert_cmpstr (kac_service_get_institution_code (service), ==, "VID");
      }
    g_assert_cmpuint (g_list_model_get_n_items (vid_code), ==, n_vid + n_video_elsewhere);
    g_assert_cmpuint (g_list_model_get_n_items (video), ==, n_video_elsewhere + 1);
  }

  /* A service code and a catalogue id find their service. */
  unemployment = kac_catalog_lookup (catalog, "VSAA-01");
  g_assert_nonnull (unemployment);
  g_assert_cmpstr (kac_service_get_catalog_id (unemployment), ==, "p294");
  codes = search_codes (catalog, "VSAA-01");
  g_assert_cmpstr (codes, ==, "VSAA-01");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "p294");
  g_assert_cmpstr (codes, ==, "VSAA-01");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "P29");
  g_assert_cmpstr (codes, ==, "VSAA-01");
  g_clear_pointer (&codes, g_free);

  /* "pmlp pase" narrows the institution to passports. */
  {
    g_autoptr(GListModel) passports = kac_catalog_search (catalog, "pmlp pase");

    g_assert_cmpuint (g_list_model_get_n_items (passports), >=, 1);
    g_assert_cmpuint (g_list_model_get_n_items (passports), <, n_pmlp);
  }

  /* No match: an empty model, still of services. */
  {
    g_autoptr(GListModel) none = kac_catalog_search (catalog, "berna xylofons");

    g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
    assert_list_model_contract (none);
  }
}

/* Search on a small catalogue whose whole answers are known */

static void
test_search_prefix_only (void)
{
  g_autoptr(KacCatalog) catalog = load_small ();
  g_autofree char *codes = NULL;

  g_assert_false (kac_catalog_is_sample (catalog));

  /* "erna" is inside "bērna" but no word starts with it. */
  codes = search_codes (catalog, "erna");
  g_assert_cmpstr (codes, ==, "");
  g_clear_pointer (&codes, g_free);

  /* Every word must match: "pabalsts" alone finds three, with "berna" one. */
  codes = search_codes (catalog, "pabalsts");
  g_assert_cmpstr (codes, ==, "VSAA-02 VSAA-01 VSAA-03");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "pabalsts berna");
  g_assert_cmpstr (codes, ==, "VSAA-02");
  g_clear_pointer (&codes, g_free);

  /* Only punctuation or spaces is an empty query. */
  codes = search_codes (catalog, " -,. ");
  g_assert_cmpstr (codes, ==, "VSAA-02 VSAA-01 PMLP-02 VSAA-03 PMLP-01");
  g_clear_pointer (&codes, g_free);
}

static void
test_search_order_and_usage (void)
{
  g_autoptr(KacCatalog) catalog = load_small ();
  g_autoptr(GHashTable) usage = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *codes = NULL;

  /* Without usage: by name in Latvian order ("Bērna" before "Bezdarbnieka": ē is e there). */
  codes = search_codes (catalog, "");
  g_assert_cmpstr (codes, ==, "VSAA-02 VSAA-01 PMLP-02 VSAA-03 PMLP-01");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, NULL);
  g_assert_cmpstr (codes, ==, "VSAA-02 VSAA-01 PMLP-02 VSAA-03 PMLP-01");
  g_clear_pointer (&codes, g_free);

  /* The most used first; the table is copied, so changing it later has no effect. */
  g_hash_table_insert (usage, (gpointer) "PMLP-01", GUINT_TO_POINTER (7));
  g_hash_table_insert (usage, (gpointer) "VSAA-03", GUINT_TO_POINTER (3));
  g_hash_table_insert (usage, (gpointer) "GONE-01", GUINT_TO_POINTER (99));
  kac_catalog_set_usage (catalog, usage);
  g_hash_table_remove_all (usage);

  codes = search_codes (catalog, "");
  g_assert_cmpstr (codes, ==, "PMLP-01 VSAA-03 VSAA-02 VSAA-01 PMLP-02");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "pabalsts");
  g_assert_cmpstr (codes, ==, "VSAA-03 VSAA-02 VSAA-01");
  g_clear_pointer (&codes, g_free);

  /* The catalogue itself keeps its own order whatever the usage. */
  {
    g_autofree char *own = codes_of (G_LIST_MODEL (catalog));
    g_assert_cmpstr (own, ==, "VSAA-01 VSAA-02 VSAA-03 PMLP-01 PMLP-02");
  }

  kac_catalog_set_usage (catalog, NULL);
  codes = search_codes (catalog, "pabalsts");
  g_assert_cmpstr (codes, ==, "VSAA-02 VSAA-01 VSAA-03");
  g_clear_pointer (&codes, g_free);
}

static void
test_search_latvian_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{ %s, \"services\": ["
    " {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"name_lv\": \"Dators\"},"
    " {\"code\": \"VSAA-02\", \"institution\": \"VSAA\", \"name_lv\": \"Čeks\"},"
    " {\"code\": \"VSAA-03\", \"institution\": \"VSAA\", \"name_lv\": \"Cukurs\"},"
    " {\"code\": \"VSAA-04\", \"institution\": \"VSAA\", \"name_lv\": \"Šis\"},"
    " {\"code\": \"VSAA-05\", \"institution\": \"VSAA\", \"name_lv\": \"Sz\"},"
    " {\"code\": \"VSAA-06\", \"institution\": \"VSAA\", \"name_lv\": \"Ābele\"},"
    " {\"code\": \"VSAA-07\", \"institution\": \"VSAA\", \"name_lv\": \"Abra\"}"
    "]}", institutions_json);
  g_autoptr(KacCatalog) catalog = load_string (json, &error);
  g_autofree char *codes = NULL;

  g_assert_no_error (error);
  /* Č and Š are letters after C and S; Ā is A for the order. */
  codes = search_codes (catalog, "");
  g_assert_cmpstr (codes, ==, "VSAA-06 VSAA-07 VSAA-03 VSAA-02 VSAA-01 VSAA-05 VSAA-04");
  g_clear_pointer (&codes, g_free);
  /* The search itself still ignores them: "ceks" finds Čeks, "sis" finds Šis. */
  codes = search_codes (catalog, "ceks");
  g_assert_cmpstr (codes, ==, "VSAA-02");
  g_clear_pointer (&codes, g_free);
  codes = search_codes (catalog, "SIS");
  g_assert_cmpstr (codes, ==, "VSAA-04");
}

static void
test_lookup_and_fields (void)
{
  g_autoptr(KacCatalog) catalog = load_small ();
  KacService *service;

  service = kac_catalog_lookup (catalog, "VSAA-02");
  g_assert_nonnull (service);
  g_assert_cmpstr (kac_service_get_code (service), ==, "VSAA-02");
  g_assert_cmpstr (kac_service_get_institution_code (service), ==, "VSAA");
  g_assert_cmpstr (kac_service_get_institution_name (service), ==, "Valsts sociālās apdrošināšanas aģentūra");
  g_assert_cmpstr (kac_service_get_name (service), ==, "Bērna kopšanas pabalsts");
  g_assert_cmpstr (kac_service_get_name_en (service), ==, "Childcare benefit");
  g_assert_null (kac_service_get_catalog_id (service));
  g_assert_true (kac_service_get_sample (service));

  service = kac_catalog_lookup (catalog, "VSAA-03");
  g_assert_null (kac_service_get_name_en (service));
  g_assert_false (kac_service_get_sample (service));

  g_assert_null (kac_catalog_lookup (catalog, "VSAA-99"));
  g_assert_null (kac_catalog_lookup (catalog, "vsaa-01"));
  g_assert_null (kac_catalog_lookup (catalog, NULL));

  assert_list_model_contract (G_LIST_MODEL (catalog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 5);
}

/* Bad catalogues */

static void
assert_rejected (const char *json,
                 const char *must_mention)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCatalog) catalog = load_string (json, &error);

  g_assert_null (catalog);
  g_assert_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (must_mention != NULL)
    g_assert_nonnull (strstr (error->message, must_mention));
}

static void
test_bad_catalogues (void)
{
  g_autofree char *unknown = g_strdup_printf (
    "{ %s, \"services\": [ {\"code\": \"XYZ-01\", \"institution\": \"XYZ\", \"name_lv\": \"Kaut kas\"} ] }",
    institutions_json);
  g_autofree char *duplicate = g_strdup_printf (
    "{ %s, \"services\": ["
    " {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"name_lv\": \"Viens\"},"
    " {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"name_lv\": \"Divi\"} ] }",
    institutions_json);
  g_autofree char *no_name = g_strdup_printf (
    "{ %s, \"services\": [ {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"name_en\": \"One\"} ] }",
    institutions_json);
  g_autofree char *empty_name = g_strdup_printf (
    "{ %s, \"services\": [ {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"name_lv\": \"\"} ] }",
    institutions_json);
  g_autofree char *no_code = g_strdup_printf (
    "{ %s, \"services\": [ {\"institution\": \"VSAA\", \"name_lv\": \"Viens\"} ] }",
    institutions_json);
  g_autofree char *no_services = g_strdup_printf ("{ %s }", institutions_json);
  g_autofree char *service_not_object = g_strdup_printf ("{ %s, \"services\": [ 42 ] }",
                                                         institutions_json);
  g_autofree char *bad_sample = g_strdup_printf (
    "{ %s, \"services\": [ {\"code\": \"VSAA-01\", \"institution\": \"VSAA\", \"name_lv\": \"Viens\","
    " \"sample\": \"yes\"} ] }",
    institutions_json);

  assert_rejected ("this is not JSON", "JSON");
  assert_rejected ("", NULL);
  assert_rejected ("[1, 2, 3]", "object");
  assert_rejected ("{\"services\": []}", "institutions");
  assert_rejected (unknown, "XYZ");
  assert_rejected (duplicate, "VSAA-01");
  assert_rejected (no_name, "VSAA-01");
  assert_rejected (empty_name, "name_lv");
  assert_rejected (no_code, "1");
  assert_rejected (no_services, "services");
  assert_rejected (service_not_object, "services");
  assert_rejected (bad_sample, "sample");
  assert_rejected ("{\"institutions\": [{\"code\": \"VSAA\"}], \"services\": []}", "VSAA");
  assert_rejected ("{\"institutions\": [{\"code\": \"A\", \"name_lv\": \"A\"},"
                   " {\"code\": \"A\", \"name_lv\": \"B\"}], \"services\": []}", "A");
}

static void
test_empty_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCatalog) catalog = load_string ("{\"institutions\": [], \"services\": []}", &error);
  g_autoptr(GListModel) results = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 0);
  results = kac_catalog_search (catalog, "");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  assert_list_model_contract (G_LIST_MODEL (catalog));
}

/* Found by fuzzing: json-glib 1.6 turns an escaped lone surrogate into bytes that are not
 * UTF-8, which must not become a service name (nor a message quoting one). */
static void
test_not_utf8 (void)
{
  static const char json[] =
    "{\"institutions\": [{\"code\": \"VSAA\", \"name_lv\": \"Valsts\"}],"
    " \"services\": [{\"code\": \"VSAA-\\udc00\", \"institution\": \"VSAA\", \"name_lv\": \"x\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCatalog) catalog = kac_catalog_new_from_bytes (bytes, &error);

  g_assert_null (catalog);
  g_assert_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/fold", test_fold);
  g_test_add_func ("/catalog/sample/loads", test_sample_loads);
  g_test_add_func ("/catalog/sample/matches-source-file", test_sample_matches_source_file);
  g_test_add_func ("/catalog/sample/search", test_sample_search);
  g_test_add_func ("/catalog/search/prefix-only", test_search_prefix_only);
  g_test_add_func ("/catalog/search/order-and-usage", test_search_order_and_usage);
  g_test_add_func ("/catalog/search/latvian-order", test_search_latvian_order);
  g_test_add_func ("/catalog/lookup-and-fields", test_lookup_and_fields);
  g_test_add_func ("/catalog/bad", test_bad_catalogues);
  g_test_add_func ("/catalog/empty", test_empty_catalogue);
  g_test_add_func ("/catalog/not-utf8", test_not_utf8);

  return g_test_run ();
}
