/* kac-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogue of the minimum service basket and its search.
 *
 * Search runs on every keystroke of the clerk, so everything that does not depend on the query
 * is computed once when the catalogue is loaded: each service gets one folded string holding
 * all its searchable words, each preceded by a space (" berna kopsanas pabalsts vsaa … "). A
 * query word then matches as the prefix of some word exactly when " <word>" occurs in that
 * string, which is a single strstr() per query word and service. The order (most used first,
 * then by name) is kept as a sorted index and recomputed only when the usage changes.
 */
#define G_LOG_DOMAIN "kac-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "kac-catalog.h"
#include "kac-core-resources.h"

#define SAMPLE_CATALOG_PATH "/lv/vpvkac/Desk/core/catalog/sample-catalog.json"

typedef struct
{
  KacService *service;
  char       *haystack;  /* " word word … ", folded */
  char       *sort_key;  /* Latvian alphabetical order, independent of the locale */
  guint       usage;
} Entry;

struct _KacCatalog
{
  GObject     parent_instance;

  GArray     *entries;   /* of Entry, in the catalogue's own order */
  guint      *order;     /* indices into entries, best first */
  GHashTable *by_code;   /* code → KacService (borrowed from entries) */
  gboolean    sample;
};

static void kac_catalog_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KacCatalog, kac_catalog, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kac_catalog_list_model_init))

G_DEFINE_QUARK (kac-catalog-error-quark, kac_catalog_error)

/* Folding */

static inline gunichar
fold_char (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  if (c < 0x80)
    return g_ascii_tolower ((char) c);

  /* The Latvian letters, directly: they are nearly all that is ever typed here. */
  switch (c)
    {
    case 0x0100: case 0x0101: return 'a'; /* Ā ā */
    case 0x010C: case 0x010D: return 'c'; /* Č č */
    case 0x0112: case 0x0113: return 'e'; /* Ē ē */
    case 0x0122: case 0x0123: return 'g'; /* Ģ ģ */
    case 0x012A: case 0x012B: return 'i'; /* Ī ī */
    case 0x0136: case 0x0137: return 'k'; /* Ķ ķ */
    case 0x013B: case 0x013C: return 'l'; /* Ļ ļ */
    case 0x0145: case 0x0146: return 'n'; /* Ņ ņ */
    case 0x0160: case 0x0161: return 's'; /* Š š */
    case 0x016A: case 0x016B: return 'u'; /* Ū ū */
    case 0x017D: case 0x017E: return 'z'; /* Ž ž */
    default: break;
    }

  /* Anything else (ö, é, Ą, …): lower case, then the base letter of the canonical
   * decomposition. Neither step depends on the locale. */
  c = g_unichar_tolower (c);
  n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  if (n > 0)
    c = g_unichar_tolower (decomposed[0]);

  return c;
}

/* Appends the folded form of @text to @out. Combining marks (from text already in decomposed
 * form) are dropped, as the precomposed letters lose theirs. */
static void
append_folded (GString    *out,
               const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower (*p));
          continue;
        }

      c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_ismark (c))
        continue;

      g_string_append_unichar (out, fold_char (c));
    }
}

/* Splits folded @text into words (runs of letters and digits) and appends each as " word". */
static void
append_words (GString    *haystack,
              const char *folded)
{
  gboolean in_word = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (!in_word)
            g_string_append_c (haystack, ' ');
          g_string_append_unichar (haystack, c);
          in_word = TRUE;
        }
      else
        {
          in_word = FALSE;
        }
    }
}

static void
append_searchable (GString    *haystack,
                   const char *text)
{
  g_autoptr(GString) folded = NULL;

  if (text == NULL || *text == '\0')
    return;

  folded = g_string_new (NULL);
  append_folded (folded, text);
  append_words (haystack, folded->str);
}

/* Query words as " word" needles, ready for strstr() against an entry's haystack. */
static GPtrArray *
split_query (const char *query)
{
  g_autofree char *folded = kac_fold_for_search (query);
  g_autoptr(GString) words = g_string_new (NULL);
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);
  const char *p;

  append_words (words, folded);

  /* words->str is " a b c": cut it back into " a", " b", " c". */
  p = words->str;
  while (*p == ' ')
    {
      const char *end = strchr (p + 1, ' ');

      if (end == NULL)
        end = p + strlen (p);
      g_ptr_array_add (needles, g_strndup (p, end - p));
      p = end;
    }

  return needles;
}

/* A byte string that sorts names as the Latvian alphabet does, whatever the locale (the
 * machine may only have C.UTF-8): č, ģ, ķ, ļ, ņ, ŗ, š, ž are letters of their own after c, g, k,
 * l, n, r, s, z ("Cukurs" < "Čeks" < "Dators"), while ā, ē, ī, ū differ from a, e, i, u only
 * as a tie-break. Each own letter becomes its base letter followed by 0x7f, which sorts after
 * every ASCII letter and digit, so every "c…" comes before every "č…" ("cz" < "ča"). */
static char *
make_sort_key (const char *name)
{
  GString *key = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));

      switch (c)
        {
        case 0x010D: g_string_append (key, "c\x7f"); break; /* č */
        case 0x0123: g_string_append (key, "g\x7f"); break; /* ģ */
        case 0x0137: g_string_append (key, "k\x7f"); break; /* ķ */
        case 0x013C: g_string_append (key, "l\x7f"); break; /* ļ */
        case 0x0146: g_string_append (key, "n\x7f"); break; /* ņ */
        case 0x0157: g_string_append (key, "r\x7f"); break; /* ŗ */
        case 0x0161: g_string_append (key, "s\x7f"); break; /* š */
        case 0x017E: g_string_append (key, "z\x7f"); break; /* ž */
        default:
          if (!g_unichar_ismark (c))
            g_string_append_unichar (key, fold_char (c));
        }
    }

  return g_string_free (key, FALSE);
}

/* Entries */

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->service);
  g_clear_pointer (&entry->haystack, g_free);
  g_clear_pointer (&entry->sort_key, g_free);
}

static void
entry_init (Entry      *entry,
            KacService *service,
            const char *institution_name_en)
{
  GString *haystack = g_string_new (NULL);

  entry->service = service;
  entry->usage = 0;

  append_searchable (haystack, kac_service_get_name (service));
  append_searchable (haystack, kac_service_get_name_en (service));
  append_searchable (haystack, kac_service_get_institution_code (service));
  append_searchable (haystack, kac_service_get_institution_name (service));
  append_searchable (haystack, institution_name_en);
  append_searchable (haystack, kac_service_get_code (service));
  append_searchable (haystack, kac_service_get_catalog_id (service));
  g_string_append_c (haystack, ' ');
  entry->haystack = g_string_free (haystack, FALSE);

  entry->sort_key = make_sort_key (kac_service_get_name (service));
}

static int
compare_order (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Entry *entries = user_data;
  const Entry *ea = &entries[*(const guint *) a];
  const Entry *eb = &entries[*(const guint *) b];
  int cmp;

  if (ea->usage != eb->usage)
    return ea->usage > eb->usage ? -1 : 1;

  cmp = strcmp (ea->sort_key, eb->sort_key);
  if (cmp != 0)
    return cmp;

  /* Same key ("Pases" and "Pāses", or one name in two institutions): the name itself, then
   * the code keep the order stable. */
  cmp = strcmp (kac_service_get_name (ea->service), kac_service_get_name (eb->service));
  if (cmp != 0)
    return cmp;

  return strcmp (kac_service_get_code (ea->service), kac_service_get_code (eb->service));
}

static void
kac_catalog_sort (KacCatalog *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    self->order[i] = i;

  g_qsort_with_data (self->order, self->entries->len, sizeof (guint),
                     compare_order, self->entries->data);
}

/* Loading */

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
member_is_null_or_absent (JsonObject *object,
                          const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
get_boolean_member (JsonObject  *object,
                    const char  *name,
                    gboolean    *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *value = FALSE;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *value = json_node_get_boolean (node);
  return TRUE;
}

static JsonArray *
get_array_of_objects (JsonObject  *root,
                      const char  *name,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                   _("The catalogue has no “%s” list."), name);
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
        {
          /* TRANSLATORS: %1$u is a position counted from 1, %2$s the list's name. */
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Entry %1$u of the catalogue’s “%2$s” list is not an object."),
                       i + 1, name);
          return NULL;
        }
    }

  return array;
}

/* json-glib 1.6 decodes an escaped lone surrogate ("\udc00") into bytes that are not UTF-8
 * (found by fuzzing). Names go on screen and into messages, so every string and member name
 * of the document is checked once. */
static gboolean
node_is_valid_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_utf8_validate (name, -1, NULL) || !node_is_valid_text (member))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!node_is_valid_text (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      return g_utf8_validate (json_node_get_string (node), -1, NULL);
    }

  return TRUE;
}

typedef struct
{
  char *name_lv;
  char *name_en;
} Institution;

static void
institution_free (gpointer data)
{
  Institution *institution = data;

  g_free (institution->name_lv);
  g_free (institution->name_en);
  g_free (institution);
}

static gboolean
kac_catalog_load (KacCatalog  *self,
                  GBytes      *json,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) institutions = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *array;
  gsize size;
  const char *data = g_bytes_get_data (json, &size);

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, &local_error))
    {
      /* json-glib quotes the offending text, which need not be UTF-8. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                   _("The catalogue is not valid JSON: %s"), message);
      return FALSE;
    }

  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                           _("The catalogue is not a JSON object."));
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  if (!node_is_valid_text (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                           _("The catalogue contains text that is not valid UTF-8."));
      return FALSE;
    }

  if (!get_boolean_member (root, "sample", &self->sample))
    {
      g_set_error_literal (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                           _("The catalogue’s “sample” field must be true or false."));
      return FALSE;
    }

  /* Institutions */
  if (!(array = get_array_of_objects (root, "institutions", error)))
    return FALSE;

  institutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, institution_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *code = get_string_member (object, "code");
      const char *name_lv = get_string_member (object, "name_lv");
      Institution *institution;

      if (code == NULL || *code == '\0')
        {
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Institution %u of the catalogue has no code."), i + 1);
          return FALSE;
        }
      if (name_lv == NULL || *name_lv == '\0')
        {
          /* TRANSLATORS: %1$u is a position counted from 1, %2$s an institution code. */
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Institution %1$u (“%2$s”) of the catalogue has no Latvian name (name_lv)."),
                       i + 1, code);
          return FALSE;
        }
      if (g_hash_table_contains (institutions, code))
        {
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("The catalogue lists the institution “%s” twice."), code);
          return FALSE;
        }

      institution = g_new0 (Institution, 1);
      institution->name_lv = g_strdup (name_lv);
      institution->name_en = g_strdup (get_string_member (object, "name_en"));
      g_hash_table_insert (institutions, g_strdup (code), institution);
    }

  /* Services */
  if (!(array = get_array_of_objects (root, "services", error)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *code = get_string_member (object, "code");
      const char *institution_code = get_string_member (object, "institution");
      const char *name_lv = get_string_member (object, "name_lv");
      const char *name_en = get_string_member (object, "name_en");
      const char *catalog_id = get_string_member (object, "catalog_id");
      Institution *institution;
      gboolean sample;
      Entry entry;

      if (code == NULL || *code == '\0')
        {
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Service %u of the catalogue has no code."), i + 1);
          return FALSE;
        }
      if (g_hash_table_contains (self->by_code, code))
        {
          /* TRANSLATORS: %1$s is a service code, %2$u a position counted from 1. */
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("The service code “%1$s” is used twice in the catalogue (again at "
                         "service %2$u); codes must be unique."),
                       code, i + 1);
          return FALSE;
        }
      if (name_lv == NULL || *name_lv == '\0')
        {
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Service %1$u (“%2$s”) of the catalogue has no Latvian name (name_lv)."),
                       i + 1, code);
          return FALSE;
        }
      if (institution_code == NULL
          || !(institution = g_hash_table_lookup (institutions, institution_code)))
        {
          /* TRANSLATORS: %1$u is a position, %2$s a service code, %3$s an institution code. */
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Service %1$u (“%2$s”) of the catalogue names an institution that is "
                         "not in its list of institutions (“%3$s”)."),
                       i + 1, code, institution_code != NULL ? institution_code : "");
          return FALSE;
        }
      if ((name_en == NULL && !member_is_null_or_absent (object, "name_en"))
          || (catalog_id == NULL && !member_is_null_or_absent (object, "catalog_id")))
        {
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Service %1$u (“%2$s”) of the catalogue has a name_en or catalog_id "
                         "that is not text."),
                       i + 1, code);
          return FALSE;
        }
      if (!get_boolean_member (object, "sample", &sample))
        {
          g_set_error (error, KAC_CATALOG_ERROR, KAC_CATALOG_ERROR_INVALID,
                       _("Service %1$u (“%2$s”) of the catalogue has a “sample” field that is "
                         "not true or false."),
                       i + 1, code);
          return FALSE;
        }

      entry_init (&entry,
                  kac_service_new (code, institution_code, institution->name_lv,
                                   name_lv, name_en, catalog_id, sample),
                  institution->name_en);
      g_array_append_val (self->entries, entry);
      g_hash_table_insert (self->by_code,
                           (gpointer) kac_service_get_code (entry.service),
                           entry.service);
    }

  self->order = g_new (guint, MAX (self->entries->len, 1));
  kac_catalog_sort (self);

  return TRUE;
}

/* GListModel */

static GType
kac_catalog_get_item_type (GListModel *model)
{
  return KAC_TYPE_SERVICE;
}

static guint
kac_catalog_get_n_items (GListModel *model)
{
  KacCatalog *self = KAC_CATALOG (model);

  return self->entries->len;
}

static gpointer
kac_catalog_get_item (GListModel *model,
                      guint       position)
{
  KacCatalog *self = KAC_CATALOG (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_array_index (self->entries, Entry, position).service);
}

static void
kac_catalog_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kac_catalog_get_item_type;
  iface->get_n_items = kac_catalog_get_n_items;
  iface->get_item = kac_catalog_get_item;
}

/* GObject overrides */

static void
kac_catalog_finalize (GObject *object)
{
  KacCatalog *self = (KacCatalog *)object;

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->order, g_free);

  G_OBJECT_CLASS (kac_catalog_parent_class)->finalize (object);
}

static void
kac_catalog_class_init (KacCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kac_catalog_finalize;
}

static void
kac_catalog_init (KacCatalog *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Public API */

KacCatalog *
kac_catalog_new_from_bytes (GBytes  *json,
                            GError **error)
{
  g_autoptr(KacCatalog) self = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KAC_TYPE_CATALOG, NULL);
  if (!kac_catalog_load (self, json, error))
    return NULL;

  return g_steal_pointer (&self);
}

KacCatalog *
kac_catalog_new_sample (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KacCatalog *self;

  /* The sample is compiled into libkac and checked by test-catalog: a failure here is a broken
   * build, not something a clerk could act on. */
  bytes = g_resource_lookup_data (kac_core_get_resource (), SAMPLE_CATALOG_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The sample catalogue is missing from libkac’s resources: %s", error->message);

  self = kac_catalog_new_from_bytes (bytes, &error);
  if (self == NULL)
    g_error ("The sample catalogue compiled into libkac is invalid: %s", error->message);

  return self;
}

gboolean
kac_catalog_is_sample (KacCatalog *self)
{
  g_return_val_if_fail (KAC_IS_CATALOG (self), FALSE);

  return self->sample;
}

KacService *
kac_catalog_lookup (KacCatalog *self,
                    const char *code)
{
  g_return_val_if_fail (KAC_IS_CATALOG (self), NULL);

  if (code == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_code, code);
}

void
kac_catalog_set_usage (KacCatalog *self,
                       GHashTable *usage)
{
  g_return_if_fail (KAC_IS_CATALOG (self));

  /* Only the counts of known services matter, so they are copied into the entries rather than
   * keeping the table. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      entry->usage = usage != NULL
                   ? GPOINTER_TO_UINT (g_hash_table_lookup (usage, kac_service_get_code (entry->service)))
                   : 0;
    }

  kac_catalog_sort (self);
}

GListModel *
kac_catalog_search (KacCatalog *self,
                    const char *query)
{
  g_autoptr(GPtrArray) needles = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GListStore *store;

  g_return_val_if_fail (KAC_IS_CATALOG (self), NULL);

  needles = split_query (query != NULL ? query : "");
  found = g_ptr_array_sized_new (self->entries->len);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, self->order[i]);
      gboolean match = TRUE;

      for (guint j = 0; j < needles->len && match; j++)
        match = strstr (entry->haystack, g_ptr_array_index (needles, j)) != NULL;

      if (match)
        g_ptr_array_add (found, entry->service);
    }

  /* One splice, so that a view sees one items-changed, not one per service. */
  store = g_list_store_new (KAC_TYPE_SERVICE);
  g_list_store_splice (store, 0, 0, found->pdata, found->len);

  return G_LIST_MODEL (store);
}

char *
kac_fold_for_search (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));
  append_folded (out, text);

  return g_string_free (out, FALSE);
}
