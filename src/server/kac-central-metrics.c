/* kac-central-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-central-metrics"

#include "config.h"

#include "kac-central-metrics.h"

static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

typedef struct
{
  guint64 counts[G_N_ELEMENTS (buckets)];   /* per bucket, not cumulative */
  guint64 count;
  double  sum;
} Histogram;

struct _KacCentralMetrics
{
  GObject     parent_instance;

  GHashTable *requests;    /* "route\tstatus" → guint64* */
  GHashTable *errors;      /* "route\tclass" → guint64* */
  GHashTable *latency;     /* route → Histogram* */
  GHashTable *items;       /* outcome → guint64* */
};

G_DEFINE_FINAL_TYPE (KacCentralMetrics, kac_central_metrics, G_TYPE_OBJECT)

static void
increment (GHashTable *table,
           char       *key)   /* taken */
{
  guint64 *value = g_hash_table_lookup (table, key);

  if (value == NULL)
    {
      value = g_new0 (guint64, 1);
      g_hash_table_insert (table, key, value);
    }
  else
    g_free (key);

  (*value)++;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Keys in a stable order, so that the text does not shuffle between scrapes. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);

  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
kac_central_metrics_finalize (GObject *object)
{
  KacCentralMetrics *self = (KacCentralMetrics *)object;

  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->latency, g_hash_table_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);

  G_OBJECT_CLASS (kac_central_metrics_parent_class)->finalize (object);
}

static void
kac_central_metrics_class_init (KacCentralMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kac_central_metrics_finalize;
}

static void
kac_central_metrics_init (KacCentralMetrics *self)
{
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->latency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

KacCentralMetrics *
kac_central_metrics_new (void)
{
  return g_object_new (KAC_CENTRAL_TYPE_METRICS, NULL);
}

void
kac_central_metrics_observe (KacCentralMetrics *self,
                             const char        *route,
                             guint              status,
                             double             seconds)
{
  Histogram *histogram;

  g_return_if_fail (KAC_CENTRAL_IS_METRICS (self));
  g_return_if_fail (route != NULL);

  increment (self->requests, g_strdup_printf ("%s\t%u", route, status));
  if (status >= 400)
    increment (self->errors, g_strdup_printf ("%s\t%s", route, status >= 500 ? "server" : "client"));

  histogram = g_hash_table_lookup (self->latency, route);
  if (histogram == NULL)
    {
      histogram = g_new0 (Histogram, 1);
      g_hash_table_insert (self->latency, g_strdup (route), histogram);
    }

  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (seconds <= buckets[i])
      {
        histogram->counts[i]++;
        break;
      }
  histogram->count++;
  histogram->sum += seconds;
}

void
kac_central_metrics_count_item (KacCentralMetrics *self,
                                const char        *outcome)
{
  g_return_if_fail (KAC_CENTRAL_IS_METRICS (self));
  g_return_if_fail (outcome != NULL);

  increment (self->items, g_strdup (outcome));
}

char *
kac_central_metrics_render (KacCentralMetrics *self,
                            gint64             records_stored)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) keys = NULL;

  g_return_val_if_fail (KAC_CENTRAL_IS_METRICS (self), NULL);

  g_string_append (out,
                   "# HELP kac_central_requests_total HTTP requests answered, by route and status.\n"
                   "# TYPE kac_central_requests_total counter\n");
  keys = sorted_keys (self->requests);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_auto(GStrv) parts = g_strsplit (key, "\t", 2);

      g_string_append_printf (out, "kac_central_requests_total{route=\"%s\",status=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              parts[0], parts[1],
                              *(guint64 *) g_hash_table_lookup (self->requests, key));
    }
  g_clear_pointer (&keys, g_ptr_array_unref);

  g_string_append (out,
                   "# HELP kac_central_errors_total Error answers, by route and class (client: 4xx, server: 5xx).\n"
                   "# TYPE kac_central_errors_total counter\n");
  keys = sorted_keys (self->errors);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_auto(GStrv) parts = g_strsplit (key, "\t", 2);

      g_string_append_printf (out, "kac_central_errors_total{route=\"%s\",class=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              parts[0], parts[1],
                              *(guint64 *) g_hash_table_lookup (self->errors, key));
    }
  g_clear_pointer (&keys, g_ptr_array_unref);

  g_string_append (out,
                   "# HELP kac_central_request_duration_seconds Time from request start to the end of the answer.\n"
                   "# TYPE kac_central_request_duration_seconds histogram\n");
  keys = sorted_keys (self->latency);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *route = g_ptr_array_index (keys, i);
      Histogram *histogram = g_hash_table_lookup (self->latency, route);
      guint64 cumulative = 0;

      for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
        {
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          cumulative += histogram->counts[b];
          g_ascii_formatd (le, sizeof le, "%g", buckets[b]);
          g_string_append_printf (out, "kac_central_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %" G_GUINT64_FORMAT "\n",
                                  route, le, cumulative);
        }
      g_string_append_printf (out, "kac_central_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
                              route, histogram->count);
      {
        char sum[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_dtostr (sum, sizeof sum, histogram->sum);
        g_string_append_printf (out, "kac_central_request_duration_seconds_sum{route=\"%s\"} %s\n", route, sum);
      }
      g_string_append_printf (out, "kac_central_request_duration_seconds_count{route=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              route, histogram->count);
    }
  g_clear_pointer (&keys, g_ptr_array_unref);

  g_string_append (out,
                   "# HELP kac_central_batch_items_total Records received in batches, by outcome.\n"
                   "# TYPE kac_central_batch_items_total counter\n");
  keys = sorted_keys (self->items);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      g_string_append_printf (out, "kac_central_batch_items_total{outcome=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              key, *(guint64 *) g_hash_table_lookup (self->items, key));
    }

  g_string_append_printf (out,
                          "# HELP kac_central_records_stored Records held by the central system.\n"
                          "# TYPE kac_central_records_stored gauge\n"
                          "kac_central_records_stored %" G_GINT64_FORMAT "\n",
                          records_stored);

  return g_string_free (out, FALSE);
}
