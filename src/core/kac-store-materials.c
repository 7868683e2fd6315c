/* kac-store-materials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The materials and notices cache of KacStore. Pages are written in light transactions
 * (synchronous=NORMAL): a page lost to a power cut is pulled again, because its cursor is lost
 * with it. The search index holds the plain text of the body (kac_markup_to_plain()), so
 * snippets show words, not markup.
 */
#define G_LOG_DOMAIN "kac-store"

#include "config.h"

#include "kac-store-materials.h"
#include "kac-store-private.h"
#include "kac-markup.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define MATERIALS_PRIMED_KEY "materials-primed"
#define NOTICES_PRIMED_KEY   "notices-primed"

/* SQLite's snippet markers: control characters that never occur in a material's text. */
#define HIT_OPEN  "\x01"
#define HIT_CLOSE "\x02"

void
kac_material_info_free (KacMaterialInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->institution);
  g_free (info->title);
  g_strfreev (info->services);
  g_clear_pointer (&info->updated_at, g_date_time_unref);
  g_free (info);
}

void
kac_material_hit_free (KacMaterialHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->id);
  g_free (hit->title_markup);
  g_free (hit->snippet_markup);
  g_free (hit);
}

/* Helpers */

static gint64
to_usec (GDateTime *date_time)
{
  return date_time != NULL ? g_date_time_to_unix (date_time) * G_USEC_PER_SEC
                             + g_date_time_get_microsecond (date_time)
                           : 0;
}

static GDateTime *
from_usec (gint64 usec)
{
  g_autoptr(GDateTime) whole = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return whole != NULL ? g_date_time_add (whole, usec % G_USEC_PER_SEC) : NULL;
}

static sqlite3_stmt *
prepare (KacStore    *self,
         const char  *sql,
         gboolean     writing,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (_kac_store_get_db (self), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _kac_store_set_error (self, error, rc, writing);
      return NULL;
    }

  return stmt;
}

/* Runs @stmt to its end and finalizes it. */
static gboolean
run (KacStore      *self,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), TRUE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return g_strndup (data, length);
}

static gboolean
read_primed (KacStore   *self,
             const char *key)
{
  g_autofree char *value = kac_store_dup_sync_value (self, key);

  return value != NULL;
}

static gboolean
write_sync_value (KacStore    *self,
                  const char  *key,
                  const char  *value,
                  GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO sync_values (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                TRUE, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return run (self, stmt, error);
}

/* The version and notified version of item @id of @table, 0 when absent. */
static gboolean
read_versions (KacStore    *self,
               const char  *sql,
               const char  *id,
               gint64      *version,
               gint64      *notified,
               GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, FALSE, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *version = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  *notified = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 1) : 0;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Materials */

static gboolean
delete_material (KacStore    *self,
                 const char  *id,
                 GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "DELETE FROM materials_fts WHERE rowid = "
                                "(SELECT rowid FROM materials WHERE id = ?1)",
                                TRUE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!run (self, stmt, error))
    return FALSE;

  if (!(stmt = prepare (self, "DELETE FROM materials WHERE id = ?1", TRUE, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return run (self, stmt, error);
}

static gboolean
put_material (KacStore         *self,
              KacWireMaterial  *material,
              gint64            notified_version,
              GError          **error)
{
  g_autoptr(GBytes) document = kac_wire_encode_material (material);
  g_autofree char *text = bytes_to_string (document);
  g_autofree char *services = g_strjoinv (" ", material->services);
  g_autofree char *plain = kac_markup_to_plain (material->body);
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO materials (id, institution, version, title, services, updated_at, "
                  "document, notified_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                  "ON CONFLICT (id) DO UPDATE SET institution = excluded.institution, "
                  "version = excluded.version, title = excluded.title, services = excluded.services, "
                  "updated_at = excluded.updated_at, document = excluded.document, "
                  "notified_version = excluded.notified_version",
                  TRUE, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, material->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, material->institution, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, material->version);
  sqlite3_bind_text (stmt, 4, material->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, services, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, to_usec (material->updated_at));
  sqlite3_bind_text (stmt, 7, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, notified_version);
  if (!run (self, stmt, error))
    return FALSE;

  /* The index row follows the material's rowid: replaced whole. */
  if (!(stmt = prepare (self,
                        "DELETE FROM materials_fts WHERE rowid = (SELECT rowid FROM materials WHERE id = ?1)",
                        TRUE, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, material->id, -1, SQLITE_TRANSIENT);
  if (!run (self, stmt, error))
    return FALSE;

  if (!(stmt = prepare (self,
                        "INSERT INTO materials_fts (rowid, title, body, services) "
                        "SELECT rowid, ?2, ?3, ?4 FROM materials WHERE id = ?1",
                        TRUE, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, material->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, material->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, plain, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, services, -1, SQLITE_TRANSIENT);
  return run (self, stmt, error);
}

gboolean
kac_store_apply_materials_page (KacStore         *self,
                                KacWireFeedPage  *page,
                                GPtrArray       **to_notify,
                                GError          **error)
{
  g_autoptr(GPtrArray) notify = g_ptr_array_new ();
  gboolean primed, ok = TRUE;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  primed = read_primed (self, MATERIALS_PRIMED_KEY);
  if (!_kac_store_begin_light (self, error))
    return FALSE;

  for (guint i = 0; ok && i < page->items->len; i++)
    {
      KacWireMaterial *material = page->items->pdata[i];
      gint64 version = 0, notified = 0;

      ok = read_versions (self, "SELECT version, notified_version FROM materials WHERE id = ?1",
                          material->id, &version, &notified, error);
      if (!ok)
        break;

      if (material->deleted)
        ok = delete_material (self, material->id, error);
      else if (material->version > version)
        {
          gboolean announce = primed && material->version > notified;

          ok = put_material (self, material, announce || !primed ? material->version : notified, error);
          if (ok && announce)
            g_ptr_array_add (notify, material);
        }
    }

  if (ok && page->cursor != NULL)
    ok = write_sync_value (self, KAC_STORE_MATERIALS_CURSOR_KEY, page->cursor, error);
  if (ok && !primed && !page->more)
    ok = write_sync_value (self, MATERIALS_PRIMED_KEY, "1", error);

  if (!_kac_store_end_light (self, ok, error))
    return FALSE;

  if (to_notify != NULL)
    *to_notify = g_steal_pointer (&notify);
  return TRUE;
}

GPtrArray *
kac_store_list_materials (KacStore  *self,
                          GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_material_info_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT id, institution, title, services, version, read_version, updated_at "
                  "FROM materials ORDER BY institution, title COLLATE NOCASE",
                  FALSE, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KacMaterialInfo *info = g_new0 (KacMaterialInfo, 1);

      info->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->institution = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->title = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      info->services = g_strsplit ((const char *) sqlite3_column_text (stmt, 3), " ", -1);
      info->version = sqlite3_column_int64 (stmt, 4);
      info->read_version = sqlite3_column_int64 (stmt, 5);
      info->updated_at = from_usec (sqlite3_column_int64 (stmt, 6));
      g_ptr_array_add (list, info);
    }
  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

KacWireMaterial *
kac_store_lookup_material (KacStore    *self,
                           const char  *id,
                           gint64      *read_version,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  KacWireMaterial *material = NULL;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = prepare (self, "SELECT document, read_version FROM materials WHERE id = ?1", FALSE, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      material = kac_wire_decode_material ((const char *) sqlite3_column_text (stmt, 0),
                                           sqlite3_column_bytes (stmt, 0), error);
      if (read_version != NULL)
        *read_version = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return material;
}

gboolean
kac_store_mark_material_read (KacStore    *self,
                              const char  *id,
                              gint64       version,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  stmt = prepare (self, "UPDATE materials SET read_version = MAX (read_version, ?2) WHERE id = ?1",
                  TRUE, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, version);
  return run (self, stmt, error);
}

/* Search */

/* The clerk's words as an FTS5 query: each word a quoted prefix term ("berna"*), each
 * "quoted phrase" a phrase; FTS5 operators typed by the clerk are only words. */
static char *
build_match (const char *query)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) term = g_string_new (NULL);
  gboolean in_phrase = FALSE;

  for (const char *p = query;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean end = c == 0;

      if (c == '"')
        {
          if (in_phrase && term->len > 0)
            g_string_append_printf (match, "%s\"%s\"", match->len ? " " : "", term->str);
          else if (!in_phrase && term->len > 0)
            g_string_append_printf (match, "%s\"%s\"*", match->len ? " " : "", term->str);
          g_string_truncate (term, 0);
          in_phrase = !in_phrase;
          continue;
        }

      if (end || (!in_phrase && !g_unichar_isalnum (c)))
        {
          if (term->len > 0)
            g_string_append_printf (match, "%s\"%s\"%s", match->len ? " " : "", term->str,
                                    in_phrase ? "" : "*");
          g_string_truncate (term, 0);
          if (end)
            break;
          continue;
        }

      /* Inside a phrase, any separator is one space; the tokenizer splits the rest. */
      if (!g_unichar_isalnum (c))
        {
          if (term->len > 0 && term->str[term->len - 1] != ' ')
            g_string_append_c (term, ' ');
        }
      else
        g_string_append_unichar (term, c);
    }

  return g_string_free (g_steal_pointer (&match), FALSE);
}

/* Escapes @text for Pango and turns the snippet markers into <b></b>. */
static char *
hits_to_markup (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);
  g_autoptr(GString) markup = g_string_new (escaped);

  g_string_replace (markup, "&#x1;", "<b>", 0);
  g_string_replace (markup, "&#x2;", "</b>", 0);
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

/* The snippet function.
 *
 * FTS5's own snippet() tokenizes the whole column of every row it is called for, twice (once
 * to find sentence starts, once to highlight): on materials of a few hundred words that was
 * about 40 µs a row, most of a search's time (bench-materials-search). kac_snippet() picks
 * its window from the hit positions FTS5 already has (xInst), then tokenizes the text only up
 * to the end of that window, so a hit near the start costs next to nothing and none costs more
 * than one pass. Same markers as snippet(); the window shows the most distinct query words. */

#define SNIPPET_MAX_HITS 64

typedef struct
{
  int start;   /* token index */
  int end;     /* last token index of the phrase */
  int phrase;
} SnippetHit;

typedef struct
{
  const char       *text;
  int               first;    /* window, token indexes */
  int               last;
  const SnippetHit *hits;
  int               n_hits;
  int               token;    /* index of the next token */
  int               pos;      /* bytes of text copied so far */
  gboolean          open;     /* inside a HIT_OPEN … HIT_CLOSE */
  gboolean          more;     /* a token follows the window */
  GString          *out;
} SnippetState;

static gboolean
snippet_token_is_hit (const SnippetState *state,
                      int                 token)
{
  for (int i = 0; i < state->n_hits; i++)
    if (state->hits[i].start <= token && token <= state->hits[i].end)
      return TRUE;
  return FALSE;
}

/* Next to each other, two hits stay two marked pieces. */
static gboolean
snippet_token_starts_hit (const SnippetState *state,
                          int                 token)
{
  for (int i = 0; i < state->n_hits; i++)
    if (state->hits[i].start == token)
      return TRUE;
  return FALSE;
}

static int
snippet_token_cb (void       *data,
                  int         flags,
                  const char *token_text,
                  int         token_length,
                  int         start,
                  int         end)
{
  SnippetState *state = data;
  int index;

  if (flags & FTS5_TOKEN_COLOCATED)
    return SQLITE_OK;

  index = state->token++;
  if (index > state->last)
    {
      state->more = TRUE;
      return SQLITE_DONE;
    }
  if (index < state->first)
    return SQLITE_OK;

  if (index == state->first)
    state->pos = start;
  g_string_append_len (state->out, state->text + state->pos, start - state->pos);
  if (!state->open && snippet_token_is_hit (state, index))
    {
      g_string_append (state->out, HIT_OPEN);
      state->open = TRUE;
    }
  g_string_append_len (state->out, state->text + start, end - start);
  state->pos = end;
  if (state->open && (index == state->last || !snippet_token_is_hit (state, index + 1)
                      || snippet_token_starts_hit (state, index + 1)))
    {
      g_string_append (state->out, HIT_CLOSE);
      state->open = FALSE;
    }

  return SQLITE_OK;
}

/* kac_snippet (table, column, n_tokens) */
static void
kac_snippet (const Fts5ExtensionApi  *api,
             Fts5Context             *fts,
             sqlite3_context         *context,
             int                      n_values,
             sqlite3_value          **values)
{
  SnippetHit hits[SNIPPET_MAX_HITS];
  SnippetState state = { 0 };
  g_autoptr(GString) out = NULL;
  const char *text = NULL;
  int column, n_tokens, n_inst = 0, n_hits = 0, length = 0, best_score = -1, rc;

  if (n_values != 2)
    {
      sqlite3_result_error (context, "kac_snippet: wrong number of arguments", -1);
      return;
    }
  column = sqlite3_value_int (values[0]);
  n_tokens = MAX (1, sqlite3_value_int (values[1]));

  if ((rc = api->xInstCount (fts, &n_inst)) != SQLITE_OK
      || (rc = api->xColumnText (fts, column, &text, &length)) != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  /* The hits in this column, in text order; a word that is everywhere gives many, and the
   * first few are enough to choose a window from. */
  for (int i = 0; i < n_inst && n_hits < SNIPPET_MAX_HITS; i++)
    {
      int phrase, hit_column, offset;

      if ((rc = api->xInst (fts, i, &phrase, &hit_column, &offset)) != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      if (hit_column != column)
        continue;
      hits[n_hits].start = offset;
      hits[n_hits].end = offset + MAX (1, api->xPhraseSize (fts, phrase)) - 1;
      hits[n_hits].phrase = phrase;
      n_hits++;
    }

  /* The window that shows the most distinct query words, then the most hits, earliest
   * first; it starts a little before its first hit so that the hit has some context. */
  state.first = 0;
  for (int i = 0; i < n_hits; i++)
    {
      int first = MAX (0, hits[i].start - n_tokens / 4), score;
      guint64 phrases = 0;
      int count = 0;

      for (int j = i; j < n_hits && hits[j].end < first + n_tokens; j++)
        {
          phrases |= G_GUINT64_CONSTANT (1) << (hits[j].phrase % 64);
          count++;
        }
      score = __builtin_popcountll (phrases) * 1000 + count;
      if (score > best_score)
        {
          best_score = score;
          state.first = first;
        }
    }
  state.last = state.first + n_tokens - 1;

  out = g_string_new (NULL);
  state.text = text;
  state.hits = hits;
  state.n_hits = n_hits;
  state.out = out;
  if (text != NULL && length > 0)
    {
      rc = api->xTokenize (fts, text, length, &state, snippet_token_cb);
      if (rc != SQLITE_OK && rc != SQLITE_DONE)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
    }
  if (state.open)
    g_string_append (out, HIT_CLOSE);
  /* The window reached the end: keep the closing punctuation. */
  if (!state.more && state.token > state.first && state.pos < length)
    {
      g_string_append_len (out, text + state.pos, length - state.pos);
      while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
        g_string_truncate (out, out->len - 1);
    }
  if (state.first > 0 && out->len > 0)
    g_string_prepend (out, "…");
  if (state.more)
    g_string_append (out, "…");

  sqlite3_result_text (context, out->str, (int) out->len, SQLITE_TRANSIENT);
}

/* The rank function.
 *
 * kac_bm25 (w_title, w_text, w_services) is FTS5's bm25() (k1 = 1.2, b = 0.75, the same
 * formula and order of operations, so the same scores), except where the term weights come
 * from. bm25() counts the matches of each phrase of the query (a scan of its whole doclist) for
 * every statement it ranks in, and a many-match search ranks in two (the title group's four
 * phrases, then the text group's two): for two common prefixes among 10,000 materials that was
 * about half of the search (bench-materials-search). kac_store_search_materials() counts them
 * once instead (kac_rank_prepare(), below), stopping at half the rows, where the weight is the
 * same 1e-6 for any count, and both groups take the weights from there. Without prepared
 * weights (a search with few matches) kac_bm25 counts them itself, as bm25() does. */

#define BM25_K1 1.2
#define BM25_B 0.75
#define RANK_MAX_PHRASES 64

typedef struct
{
  gboolean active;
  int      n_phrases;
  double   idf[RANK_MAX_PHRASES];
} RankWeights;

typedef struct
{
  int     n_phrases;
  double  avgdl;
  double *idf;
  double *freq;
} Bm25Data;

typedef struct
{
  sqlite3_int64 n;
  sqlite3_int64 cap;
} PhraseCount;

static int
phrase_count_cb (const Fts5ExtensionApi *api,
                 Fts5Context            *fts,
                 void                   *data)
{
  PhraseCount *count = data;

  return ++count->n >= count->cap ? SQLITE_DONE : SQLITE_OK;
}

/* bm25's term weight of phrase @phrase among @n_rows rows; the count stops at half the rows,
 * past which the weight is 1e-6 whatever the count. */
static int
phrase_idf (const Fts5ExtensionApi *api,
            Fts5Context            *fts,
            int                     phrase,
            sqlite3_int64           n_rows,
            double                 *idf)
{
  PhraseCount count = { 0, MAX ((n_rows + 1) / 2, 1) };
  int rc = api->xQueryPhrase (fts, phrase, &count, phrase_count_cb);

  if (rc != SQLITE_OK)
    return rc;
  if (count.n >= count.cap)
    *idf = 1e-6;
  else
    {
      *idf = log (((double) n_rows - (double) count.n + 0.5) / ((double) count.n + 0.5));
      if (*idf <= 0.0)
        *idf = 1e-6;
    }
  return SQLITE_OK;
}

static void
bm25_data_free (void *data)
{
  Bm25Data *bm25 = data;

  g_free (bm25->idf);
  g_free (bm25);
}

static int
bm25_data_get (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               Bm25Data               **out)
{
  RankWeights *weights = api->xUserData (fts);
  Bm25Data *bm25 = api->xGetAuxdata (fts, 0);
  sqlite3_int64 n_rows = 0, n_tokens = 0;
  int rc;

  if (bm25 != NULL)
    {
      *out = bm25;
      return SQLITE_OK;
    }

  bm25 = g_new0 (Bm25Data, 1);
  bm25->n_phrases = api->xPhraseCount (fts);
  bm25->idf = g_new0 (double, 2 * (gsize) MAX (bm25->n_phrases, 1));
  bm25->freq = bm25->idf + bm25->n_phrases;
  rc = api->xRowCount (fts, &n_rows);
  if (rc == SQLITE_OK)
    rc = api->xColumnTotalSize (fts, -1, &n_tokens);
  bm25->avgdl = (double) n_tokens / (double) n_rows;
  for (int i = 0; rc == SQLITE_OK && i < bm25->n_phrases; i++)
    {
      if (weights != NULL && weights->active && i < weights->n_phrases)
        bm25->idf[i] = weights->idf[i];
      else
        rc = phrase_idf (api, fts, i, n_rows, &bm25->idf[i]);
    }
  if (rc == SQLITE_OK)
    rc = api->xSetAuxdata (fts, bm25, bm25_data_free);
  else
    bm25_data_free (bm25);
  *out = rc == SQLITE_OK ? bm25 : NULL;
  return rc;
}

/* kac_bm25 (table, weight of each column…) */
static void
kac_bm25 (const Fts5ExtensionApi  *api,
          Fts5Context             *fts,
          sqlite3_context         *context,
          int                      n_values,
          sqlite3_value          **values)
{
  Bm25Data *bm25 = NULL;
  double score = 0.0, length;
  int rc, n_inst = 0, n_tokens = 0;

  rc = bm25_data_get (api, fts, &bm25);
  if (rc == SQLITE_OK)
    {
      memset (bm25->freq, 0, sizeof (double) * bm25->n_phrases);
      rc = api->xInstCount (fts, &n_inst);
    }
  for (int i = 0; rc == SQLITE_OK && i < n_inst; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK)
        bm25->freq[phrase] += n_values > column ? sqlite3_value_double (values[column]) : 1.0;
    }
  if (rc == SQLITE_OK)
    rc = api->xColumnSize (fts, -1, &n_tokens);
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  length = (double) n_tokens;
  for (int i = 0; i < bm25->n_phrases; i++)
    score += bm25->idf[i] * ((bm25->freq[i] * (BM25_K1 + 1.0)) /
                             (bm25->freq[i] + BM25_K1 * (1 - BM25_B + BM25_B * length / bm25->avgdl)));
  sqlite3_result_double (context, -1.0 * score);
}

/* kac_rank_prepare (table): counts the phrases of the query once for the search's kac_bm25
 * calls (the RankWeights given as the function's data); called for one row. */
static void
kac_rank_prepare (const Fts5ExtensionApi  *api,
                  Fts5Context             *fts,
                  sqlite3_context         *context,
                  int                      n_values,
                  sqlite3_value          **values)
{
  RankWeights *weights = api->xUserData (fts);
  sqlite3_int64 n_rows = 0;
  int n_phrases = api->xPhraseCount (fts);
  int rc;

  weights->active = FALSE;
  if (n_phrases > RANK_MAX_PHRASES)
    {
      /* kac_bm25 counts them itself. */
      sqlite3_result_int (context, 0);
      return;
    }
  rc = api->xRowCount (fts, &n_rows);
  for (int i = 0; rc == SQLITE_OK && i < n_phrases; i++)
    rc = phrase_idf (api, fts, i, n_rows, &weights->idf[i]);
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }
  weights->n_phrases = n_phrases;
  weights->active = TRUE;
  sqlite3_result_int (context, n_phrases);
}

static GQuark
rank_weights_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("kac-store-rank-weights");
  return quark;
}

/* Registers kac_snippet() with FTS5 on the store's connection, once. */
static gboolean
ensure_snippet_function (KacStore  *self,
                         GError   **error)
{
  static GQuark registered_quark;
  sqlite3 *db = _kac_store_get_db (self);
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;
  int rc;

  if (registered_quark == 0)
    registered_quark = g_quark_from_static_string ("kac-store-snippet-registered");
  if (g_object_get_qdata (G_OBJECT (self), registered_quark) != NULL)
    return TRUE;

  rc = sqlite3_prepare_v2 (db, "SELECT fts5 (?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
      rc = sqlite3_step (stmt) == SQLITE_ROW ? SQLITE_OK : sqlite3_extended_errcode (db);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK && api == NULL)
    rc = SQLITE_ERROR;
  if (rc == SQLITE_OK)
    rc = api->xCreateFunction (api, "kac_snippet", NULL, kac_snippet, NULL);
  if (rc == SQLITE_OK)
    {
      /* The connection owns the weights: freed when it closes. */
      RankWeights *weights = g_new0 (RankWeights, 1);

      rc = api->xCreateFunction (api, "kac_rank_prepare", weights, kac_rank_prepare, g_free);
      if (rc == SQLITE_OK)
        rc = api->xCreateFunction (api, "kac_bm25", weights, kac_bm25, NULL);
      if (rc == SQLITE_OK)
        g_object_set_qdata (G_OBJECT (self), rank_weights_quark (), weights);
    }
  if (rc != SQLITE_OK)
    {
      _kac_store_set_error (self, error, rc, FALSE);
      return FALSE;
    }

  g_object_set_qdata (G_OBJECT (self), registered_quark, GINT_TO_POINTER (TRUE));
  return TRUE;
}

/* Up to this many matches are ranked all together, as they are: bm25 costs 1-2.5 µs a match
 * (FTS5 reads each row's column sizes, then sorts), so ranking every material that holds a
 * common word took 7-16 ms of CPU among 10,000 materials (bench-materials-search). */
#define RANK_ALL_UP_TO 2000

/* Beyond that, each group (see kac_store_search_materials()) is ranked among at most this
 * many of its materials, the most recently added ones (the highest rowids). */
#define RANK_WINDOW 250

/* Walks the matches of @match from the newest without ranking them, and sets *@at_first and
 * *@at_second to the rowids of the @first-th and @second-th (@first ≤ @second), or to
 * G_MININT64 when there are fewer matches. */
static gboolean
newest_rowids (KacStore    *self,
               const char  *match,
               guint        first,
               guint        second,
               gint64      *at_first,
               gint64      *at_second,
               GError     **error)
{
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  *at_first = *at_second = G_MININT64;
  stmt = prepare (self,
                  "SELECT rowid FROM materials_fts WHERE materials_fts MATCH ?1 "
                  "ORDER BY rowid DESC LIMIT ?2",
                  FALSE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) MIN (second, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      n++;
      if (n == first)
        *at_first = sqlite3_column_int64 (stmt, 0);
      if (n == second)
        *at_second = sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

/* Appends to @hits up to @limit matches of @match with a rowid of at least @floor, best first,
 * leaving out the rowids in @skip (optional); adds the rowids of the appended hits to @seen
 * (optional). */
static gboolean
search_group (KacStore    *self,
              const char  *match,
              gint64       floor,
              guint        limit,
              GHashTable  *skip,
              GHashTable  *seen,
              GPtrArray   *hits,
              GError     **error)
{
  sqlite3_stmt *stmt;
  guint added = 0;
  guint n_skip = skip != NULL ? g_hash_table_size (skip) : 0;
  int rc = SQLITE_DONE;

  /* ORDER BY rank (with the weights set by "rank MATCH") lets FTS5 sort the matches itself,
   * so SQLite asks for the title and snippet of the returned rows only; ordering by a bm25()
   * result column made it compute them for every match before sorting (85 ms for a common
   * word among 10,000 materials). The rowid bound is applied by FTS5 while it scans, so only
   * the window is ranked. */
  stmt = prepare (self,
                  "SELECT m.id, highlight (materials_fts, 0, '" HIT_OPEN "', '" HIT_CLOSE "'), "
                  "kac_snippet (materials_fts, 1, 16), rank, materials_fts.rowid "
                  "FROM materials_fts JOIN materials m ON m.rowid = materials_fts.rowid "
                  "WHERE materials_fts MATCH ?1 AND rank MATCH 'kac_bm25 (10.0, 1.0, 2.0)' "
                  "AND materials_fts.rowid >= ?3 "
                  "ORDER BY rank LIMIT ?2",
                  FALSE, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) MIN ((guint64) limit + n_skip, G_MAXINT));
  sqlite3_bind_int64 (stmt, 3, floor);
  while (added < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 4);
      KacMaterialHit *hit;

      if (skip != NULL && g_hash_table_contains (skip, &rowid))
        continue;
      if (seen != NULL)
        g_hash_table_add (seen, g_memdup2 (&rowid, sizeof rowid));
      added++;
      hit = g_new0 (KacMaterialHit, 1);

      hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      hit->title_markup = hits_to_markup ((const char *) sqlite3_column_text (stmt, 1));
      hit->snippet_markup = hits_to_markup ((const char *) sqlite3_column_text (stmt, 2));
      hit->rank = sqlite3_column_double (stmt, 3);
      g_ptr_array_add (hits, hit);
    }
  if (added == limit)
    rc = SQLITE_DONE;
  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

/* Counts the phrases of @expr once for the kac_bm25 calls that follow (see kac_bm25()); the
 * phrases of the ranked expressions must be its first ones, in its order. */
static gboolean
rank_prepare (KacStore    *self,
              const char  *expr,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT kac_rank_prepare (materials_fts) FROM materials_fts "
                  "WHERE materials_fts MATCH ?1 LIMIT 1",
                  FALSE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, expr, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

static void
rank_forget (KacStore *self)
{
  RankWeights *weights = g_object_get_qdata (G_OBJECT (self), rank_weights_quark ());

  if (weights != NULL)
    weights->active = FALSE;
}

GPtrArray *
kac_store_search_materials (KacStore    *self,
                            const char  *query,
                            guint        limit,
                            GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_material_hit_free);
  g_autofree char *match = NULL;
  g_autofree char *title_only = NULL;
  g_autofree char *in_title = NULL;
  g_autofree char *all_phrases = NULL;
  g_autoptr(GHashTable) in_title_hits = NULL;
  gboolean ok;
  gint64 all_floor, text_floor, title_floor;
  guint window;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  match = build_match (query);
  if (*match == '\0' || limit == 0)
    return g_steal_pointer (&hits);

  if (!ensure_snippet_function (self, error))
    return NULL;

  /* Few matches: ranked all together, bm25 over title, text and services. */
  window = MAX (limit, RANK_WINDOW);
  if (!newest_rowids (self, match, window, MAX (window, RANK_ALL_UP_TO), &text_floor, &all_floor, error))
    return NULL;
  if (all_floor == G_MININT64)
    return search_group (self, match, G_MININT64, limit, NULL, NULL, hits, error)
           ? g_steal_pointer (&hits) : NULL;

  /* Many: materials with every word in the title first, then the others. With the title
   * weighed ten times the text, bm25 put them first anyway; ranking each group alone keeps the
   * ranked sets small (a common word is in most texts but few titles), and the second group
   * is ranked only when the first does not fill the page. The query's own phrases come first
   * in the first expression, so the highlights and snippets mark every hit; there the
   * title-only copies also count in bm25, which orders the group by the title first, then the
   * text. The second group is the query itself, less the first group's hits: when the first
   * group did not fill the page it returned every title match in its window, and its window
   * (from the @window-th newest title match) holds the second's (from the @window-th newest
   * match). So the second group needs no NOT expression, whose two extra column-filtered
   * phrases cost bm25 a scan of their whole doclists each (about 1 ms for two common
   * prefixes among 10,000 materials). */
  title_only = g_strdup_printf ("{title} : (%s)", match);
  in_title = g_strdup_printf ("(%s) AND %s", match, title_only);
  in_title_hits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  /* Both groups' phrases, in the first group's order: the query's, then the title-only
   * copies; this expression matches whatever the query does, so it has a row to count from. */
  all_phrases = g_strdup_printf ("(%s) OR %s", match, title_only);
  ok = rank_prepare (self, all_phrases, error) &&
       newest_rowids (self, title_only, window, window, &title_floor, &title_floor, error) &&
       search_group (self, in_title, title_floor, limit, NULL, in_title_hits, hits, error) &&
       (hits->len >= limit ||
        search_group (self, match, text_floor, limit - hits->len, in_title_hits, NULL, hits, error));
  rank_forget (self);

  return ok ? g_steal_pointer (&hits) : NULL;
}

/* Notices */

gboolean
kac_store_apply_notices_page (KacStore         *self,
                              KacWireFeedPage  *page,
                              GPtrArray       **to_notify,
                              GError          **error)
{
  g_autoptr(GPtrArray) notify = g_ptr_array_new ();
  gboolean primed, ok = TRUE;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  primed = read_primed (self, NOTICES_PRIMED_KEY);
  if (!_kac_store_begin_light (self, error))
    return FALSE;

  for (guint i = 0; ok && i < page->items->len; i++)
    {
      KacWireNotice *notice = page->items->pdata[i];
      gint64 version = 0, notified = 0;
      sqlite3_stmt *stmt;

      ok = read_versions (self, "SELECT version, notified_version FROM notices WHERE id = ?1",
                          notice->id, &version, &notified, error);
      if (!ok)
        break;

      if (notice->deleted)
        {
          if ((stmt = prepare (self, "DELETE FROM notices WHERE id = ?1", TRUE, error)) == NULL)
            ok = FALSE;
          else
            {
              sqlite3_bind_text (stmt, 1, notice->id, -1, SQLITE_TRANSIENT);
              ok = run (self, stmt, error);
            }
        }
      else if (notice->version > version)
        {
          /* Only what changes today's work at the desk is announced (§19.3, §19.4). */
          gboolean announce = primed && notice->version > notified
                              && (notice->kind == KAC_NOTICE_KIND_ABSENCE
                                  || notice->kind == KAC_NOTICE_KIND_SUBSTITUTION);
          g_autoptr(GBytes) document = kac_wire_encode_notice (notice);
          g_autofree char *text = bytes_to_string (document);

          stmt = prepare (self,
                          "INSERT INTO notices (id, institution, version, kind, starts_at, document, "
                          "notified_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                          "ON CONFLICT (id) DO UPDATE SET institution = excluded.institution, "
                          "version = excluded.version, kind = excluded.kind, "
                          "starts_at = excluded.starts_at, document = excluded.document, "
                          "notified_version = excluded.notified_version",
                          TRUE, error);
          if (stmt == NULL)
            {
              ok = FALSE;
              break;
            }
          sqlite3_bind_text (stmt, 1, notice->id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, notice->institution, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, notice->version);
          sqlite3_bind_text (stmt, 4, kac_notice_kind_to_string (notice->kind), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 5, to_usec (notice->starts_at));
          sqlite3_bind_text (stmt, 6, text, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 7, announce || !primed ? notice->version : notified);
          ok = run (self, stmt, error);
          if (ok && announce)
            g_ptr_array_add (notify, notice);
        }
    }

  if (ok && page->cursor != NULL)
    ok = write_sync_value (self, KAC_STORE_NOTICES_CURSOR_KEY, page->cursor, error);
  if (ok && !primed && !page->more)
    ok = write_sync_value (self, NOTICES_PRIMED_KEY, "1", error);

  if (!_kac_store_end_light (self, ok, error))
    return FALSE;

  if (to_notify != NULL)
    *to_notify = g_steal_pointer (&notify);
  return TRUE;
}

GPtrArray *
kac_store_list_notices (KacStore  *self,
                        GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_notice_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT document FROM notices ORDER BY starts_at, id", FALSE, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      KacWireNotice *notice = kac_wire_decode_notice ((const char *) sqlite3_column_text (stmt, 0),
                                                      sqlite3_column_bytes (stmt, 0), &local_error);

      /* Written by this code from a decoded notice: unreadable means a damaged file. */
      if (notice == NULL)
        {
          g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT,
                       _("A staff notice in the file “%s” is damaged (%s). Ask your administrator "
                         "to restore the file from a backup."),
                       kac_store_get_path (self), local_error->message);
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (list, notice);
    }
  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

/* Attachments */

char *
kac_store_dup_attachments_dir (KacStore *self)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  folder = g_path_get_dirname (kac_store_get_path (self));
  return g_build_filename (folder, "attachments", NULL);
}

char *
kac_store_dup_attachment_path (KacStore   *self,
                               const char *sha256)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  if (!kac_wire_sha256_is_valid (sha256))
    return NULL;

  dir = kac_store_dup_attachments_dir (self);
  path = g_build_filename (dir, sha256, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

static gboolean
set_file_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_OPEN,
               /* Translators: %1$s is a file, %2$s the system's reason. */
               _("KAC Desk cannot save the attachment “%1$s” (%2$s). Check that the disk is not "
                 "full, or ask your administrator."),
               path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
kac_store_save_attachment (KacStore    *self,
                           const char  *sha256,
                           GBytes      *data,
                           GError     **error)
{
  g_autofree char *actual = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *temp = NULL;
  sqlite3_stmt *stmt;
  const guint8 *bytes;
  gsize length = 0, done = 0;
  int fd;

  g_return_val_if_fail (KAC_IS_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  /* A corrupted or substituted download never reaches the folder. */
  actual = kac_wire_sha256_of_bytes (data);
  if (!kac_wire_sha256_is_valid (sha256) || !g_str_equal (actual, sha256))
    {
      g_set_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID,
                   _("The attachment that arrived is not the one the material names (its "
                     "contents differ). It was not kept and will be fetched again."));
      return FALSE;
    }

  dir = kac_store_dup_attachments_dir (self);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_file_error (error, dir, errno);

  path = g_build_filename (dir, sha256, NULL);
  temp = g_strconcat (path, ".part", NULL);
  fd = g_open (temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_file_error (error, temp, errno);

  bytes = g_bytes_get_data (data, &length);
  while (done < length)
    {
      gssize n = write (fd, bytes + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (temp);
          return set_file_error (error, temp, saved_errno);
        }
      done += n;
    }

  /* On the disk before the name points at it: a crash leaves the old state or the whole file. */
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (temp);
      return set_file_error (error, temp, saved_errno);
    }
  if (g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (temp);
      return set_file_error (error, path, saved_errno);
    }

  stmt = prepare (self,
                  "INSERT INTO attachments (sha256, size, fetched_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (sha256) DO NOTHING",
                  TRUE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (gint64) length);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return run (self, stmt, error);
}

GStrv
kac_store_dup_missing_attachments (KacStore  *self,
                                   GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KAC_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT DISTINCT json_extract (a.value, '$.sha256') FROM materials m, "
                  "json_each (m.document, '$.attachments') a",
                  FALSE, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *sha256 = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *path = kac_store_dup_attachment_path (self, sha256);

      if (path == NULL && sha256 != NULL && g_hash_table_add (seen, g_strdup (sha256)))
        g_strv_builder_add (builder, sha256);
    }
  if (rc != SQLITE_DONE)
    _kac_store_set_error (self, error, sqlite3_extended_errcode (_kac_store_get_db (self)), FALSE);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? g_strv_builder_end (builder) : NULL;
}
