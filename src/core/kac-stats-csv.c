/* kac-stats-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing the figures as CSV. Quoting follows RFC 4180: a field with the separator, a quote,
 * a line break or an outer space is quoted, and its quotes are doubled; any other field is
 * written as is, so numbers stay numbers in a spreadsheet.
 */
#define G_LOG_DOMAIN "kac-stats"

#include "config.h"

#include "kac-stats-csv.h"
#include "kac-types.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* Helpers */

static void
append_field (GString    *line,
              const char *field,
              char        separator)
{
  gsize length = strlen (field);
  gboolean quote;

  if (line->len > 0 && line->str[line->len - 1] != '\n')
    g_string_append_c (line, separator);

  quote = strchr (field, separator) != NULL || strpbrk (field, "\"\r\n") != NULL
          || (length > 0 && (field[0] == ' ' || field[length - 1] == ' '));
  if (!quote)
    {
      g_string_append (line, field);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
append_int (GString *line,
            gint64   value,
            char     separator)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  append_field (line, text, separator);
}

/* A decimal with @digits digits after the point, in the separator's convention (see the
 * header); empty when @defined is FALSE (no answers, no cases). */
static void
append_decimal (GString  *line,
                double    value,
                int       digits,
                gboolean  defined,
                char      separator)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (!defined)
    {
      append_field (line, "", separator);
      return;
    }

  g_ascii_formatd (text, sizeof text, digits == 2 ? "%.2f" : "%.1f", value);
  if (separator == ';')
    {
      char *point = strchr (text, '.');

      if (point != NULL)
        *point = ',';
    }
  append_field (line, text, separator);
}

static void
end_line (GString *line)
{
  g_string_append (line, "\r\n");
}

static void
append_row (GString              *text,
            const char           *section,
            const char           *code,
            const char           *name,
            const KacWireFigures *figures,
            char                  separator)
{
  gint64 answers = kac_wire_figures_get_answers (figures);

  append_field (text, section, separator);
  append_field (text, code != NULL ? code : "", separator);
  append_field (text, name != NULL ? name : "", separator);
  append_int (text, figures->cases, separator);
  for (guint i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    append_int (text, figures->by_kind[i], separator);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    append_int (text, figures->by_channel[i], separator);
  append_int (text, figures->delayed, separator);
  append_int (text, answers, separator);
  append_decimal (text, kac_wire_figures_get_average (figures), 2, answers > 0, separator);
  for (guint i = 0; i < 5; i++)
    append_int (text, figures->satisfaction[i], separator);
  append_decimal (text, 100.0 * kac_wire_figures_get_electronic_share (figures), 1,
                  figures->cases > 0, separator);
  end_line (text);
}

/* Public API */

char *
kac_stats_dup_group_name (KacCatalog *catalog,
                          const char *service_code,
                          const char *institution_code)
{
  g_return_val_if_fail (catalog == NULL || KAC_IS_CATALOG (catalog), NULL);

  if (service_code != NULL)
    {
      KacService *service = catalog != NULL ? kac_catalog_lookup (catalog, service_code) : NULL;

      return g_strdup (service != NULL ? kac_service_get_name (service) : service_code);
    }

  if (institution_code != NULL)
    {
      if (catalog != NULL)
        {
          g_autoptr(GListModel) services = kac_catalog_search (catalog, "");

          for (guint i = 0; i < g_list_model_get_n_items (services); i++)
            {
              g_autoptr(KacService) service = g_list_model_get_item (services, i);

              if (g_strcmp0 (kac_service_get_institution_code (service), institution_code) == 0)
                return g_strdup (kac_service_get_institution_name (service));
            }
        }
      return g_strdup (institution_code);
    }

  /* Registrations of information or consultations given without naming a service. */
  return g_strdup (_("Without a service"));
}

char *
kac_stats_format_csv (KacWireStats *stats,
                      KacCatalog   *catalog,
                      char          separator)
{
  GString *text;
  char day_text[11];

  g_return_val_if_fail (stats != NULL, NULL);
  g_return_val_if_fail (catalog == NULL || KAC_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  text = g_string_new (NULL);

  /* The header line. */
  append_field (text, C_("statistics column", "Section"), separator);
  append_field (text, C_("statistics column", "Code"), separator);
  append_field (text, C_("statistics column", "Name"), separator);
  append_field (text, C_("statistics column", "Cases"), separator);
  for (guint i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    append_field (text, kac_record_kind_get_label (i), separator);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    append_field (text, kac_channel_get_label (i), separator);
  append_field (text, C_("statistics column", "Delayed"), separator);
  append_field (text, C_("statistics column", "Satisfaction answers"), separator);
  append_field (text, C_("statistics column", "Satisfaction average"), separator);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *label = g_strdup_printf (C_("statistics column", "Rated %u"), i + 1);

      append_field (text, label, separator);
    }
  append_field (text, C_("statistics column", "Electronic, %"), separator);
  end_line (text);

  append_row (text, C_("statistics section", "Total"), stats->centre_id,
              stats->centre_name, &stats->totals, separator);

  for (guint i = 0; i < stats->institutions->len; i++)
    {
      KacWireStatsGroup *group = g_ptr_array_index (stats->institutions, i);
      g_autofree char *name = kac_stats_dup_group_name (catalog, NULL, group->institution_code);

      append_row (text, C_("statistics section", "Institution"), group->institution_code,
                  name, &group->figures, separator);
    }

  for (guint i = 0; i < stats->services->len; i++)
    {
      KacWireStatsGroup *group = g_ptr_array_index (stats->services, i);
      g_autofree char *name = kac_stats_dup_group_name (catalog, group->service_code,
                                                        group->institution_code);

      append_row (text, C_("statistics section", "Service"), group->service_code,
                  name, &group->figures, separator);
    }

  for (guint i = 0; i < stats->days->len; i++)
    {
      KacWireStatsDay *day = &g_array_index (stats->days, KacWireStatsDay, i);

      g_snprintf (day_text, sizeof day_text, "%04u-%02u-%02u", g_date_get_year (&day->date),
                  g_date_get_month (&day->date), g_date_get_day (&day->date));
      append_row (text, C_("statistics section", "Day"), day_text, NULL, &day->figures,
                  separator);
    }

  /* The byte order mark goes in last: append_field() takes an empty text for a line start. */
  g_string_prepend (text, "\xEF\xBB\xBF");
  return g_string_free (text, FALSE);
}

gboolean
kac_stats_write_csv (KacWireStats  *stats,
                     KacCatalog    *catalog,
                     char           separator,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (stats != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (separator == ',' || separator == ';', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = kac_stats_format_csv (stats, catalog, separator);

  /* Replaced whole: a reader never sees half a file. */
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}
