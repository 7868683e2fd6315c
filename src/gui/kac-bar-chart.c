/* kac-bar-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar chart stacked by channel, drawn with cairo. The drawing is one function on any
 * cairo_t, so the PDF report draws exactly what the page shows. Colours come from the style
 * (libadwaita's named palette colours and the window's text colour) and the chart redraws when
 * the style changes, so it follows light and dark. The channels stack in the legend's order,
 * each bar carries its total as text, and every figure is also in the table beside the chart:
 * nothing is only in a colour or only in a picture.
 */
#define G_LOG_DOMAIN "kac-bar-chart"

#include "config.h"

#include "kac-bar-chart.h"

#include <math.h>

#include <glib/gi18n.h>

typedef struct
{
  char   *label;
  gint64  values[KAC_CHANNEL_N_VALUES];
} Bar;

struct _KacBarChart
{
  GtkWidget        parent_instance;

  KacBarChartKind  kind;
  GArray          *bars;   /* of Bar */
};

G_DEFINE_FINAL_TYPE (KacBarChart, kac_bar_chart, GTK_TYPE_WIDGET)

/* libadwaita's palette: distinct in light and dark, and the same hues in both. */
static const char * const channel_color_names[KAC_CHANNEL_N_VALUES] = {
  "blue_3", "green_4", "orange_3", "purple_2",
};
static const char * const channel_color_fallbacks[KAC_CHANNEL_N_VALUES] = {
  "#3584e4", "#2ec27e", "#ff7800", "#c061cb",
};

/* Helpers */

static void
clear_bar (gpointer data)
{
  g_free (((Bar *) data)->label);
}

static gint64
bar_total (const Bar *bar)
{
  gint64 total = 0;

  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    total += bar->values[i];

  return total;
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
draw_legend (cairo_t                 *cr,
             double                   width,
             const KacBarChartColors *colors)
{
  double x = 0;

  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    {
      g_autoptr(PangoLayout) layout = make_layout (cr, kac_channel_get_label (i), 12);
      int text_width, text_height;

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      set_source (cr, &colors->channels[i], 1);
      cairo_rectangle (cr, x, 3, 12, 12);
      cairo_fill (cr);
      set_source (cr, &colors->foreground, 1);
      cairo_move_to (cr, x + 16, 0);
      pango_cairo_show_layout (cr, layout);
      x += 16 + text_width + 16;
      if (x > width)
        break;
    }
}

static void
draw_horizontal (KacBarChart             *self,
                 cairo_t                 *cr,
                 double                   width,
                 double                   height,
                 gint64                   max,
                 const KacBarChartColors *colors)
{
  double label_width = MIN (width * 0.4, 260);
  double top = 24, row, bar_height;
  double plot_width = width - label_width - 48;

  row = MIN ((height - top) / MAX (self->bars->len, 1), 28);
  bar_height = row * 0.7;

  for (guint b = 0; b < self->bars->len; b++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, b);
      g_autoptr(PangoLayout) label = make_layout (cr, bar->label, 12);
      g_autofree char *total_text = g_strdup_printf ("%" G_GINT64_FORMAT, bar_total (bar));
      g_autoptr(PangoLayout) total = make_layout (cr, total_text, 12);
      double y = top + b * row;
      double x = label_width + 8;
      int text_height;

      pango_layout_set_width (label, (int) (label_width * PANGO_SCALE));
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (label, PANGO_ALIGN_RIGHT);
      pango_layout_get_pixel_size (label, NULL, &text_height);
      set_source (cr, &colors->foreground, 1);
      cairo_move_to (cr, 0, y + (bar_height - text_height) / 2);
      pango_cairo_show_layout (cr, label);

      for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
        {
          double w = max > 0 ? plot_width * bar->values[i] / (double) max : 0;

          if (w <= 0)
            continue;
          set_source (cr, &colors->channels[i], 1);
          cairo_rectangle (cr, x, y, w, bar_height);
          cairo_fill (cr);
          x += w;
        }

      set_source (cr, &colors->foreground, 1);
      cairo_move_to (cr, x + 4, y + (bar_height - text_height) / 2);
      pango_cairo_show_layout (cr, total);
    }
}

static void
draw_columns (KacBarChart             *self,
              cairo_t                 *cr,
              double                   width,
              double                   height,
              gint64                   max,
              const KacBarChartColors *colors)
{
  double top = 24, bottom = 20, left = 36;
  double plot_height = height - top - bottom;
  double column = (width - left) / MAX (self->bars->len, 1);
  double bar_width = MAX (column * 0.75, 1);
  guint label_step = MAX (1, (guint) ceil (48 / column));
  g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
  g_autoptr(PangoLayout) max_layout = make_layout (cr, max_text, 11);

  /* The scale: a faint top line with the largest day's count. */
  set_source (cr, &colors->foreground, 0.2);
  cairo_rectangle (cr, left, top, width - left, 1);
  cairo_rectangle (cr, left, top + plot_height, width - left, 1);
  cairo_fill (cr);
  set_source (cr, &colors->foreground, 0.8);
  cairo_move_to (cr, 0, top - 7);
  pango_cairo_show_layout (cr, max_layout);

  for (guint b = 0; b < self->bars->len; b++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, b);
      double x = left + b * column + (column - bar_width) / 2;
      double y = top + plot_height;

      for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
        {
          double h = max > 0 ? plot_height * bar->values[i] / (double) max : 0;

          if (h <= 0)
            continue;
          set_source (cr, &colors->channels[i], 1);
          cairo_rectangle (cr, x, y - h, bar_width, h);
          cairo_fill (cr);
          y -= h;
        }

      if (b % label_step == 0)
        {
          g_autoptr(PangoLayout) label = make_layout (cr, bar->label, 11);

          set_source (cr, &colors->foreground, 0.8);
          cairo_move_to (cr, left + b * column, top + plot_height + 3);
          pango_cairo_show_layout (cr, label);
        }
    }
}

/* GtkWidget */

static void
kac_bar_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  KacBarChart *self = KAC_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  KacBarChartColors colors;
  cairo_t *cr;

  kac_bar_chart_get_colors (self, &colors);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  kac_bar_chart_draw (self, cr, width, height, &colors);
  cairo_destroy (cr);
}

static void
kac_bar_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  KacBarChart *self = KAC_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 480;
    }
  else if (self->kind == KAC_BAR_CHART_HORIZONTAL)
    *minimum = *natural = 24 + 28 * MAX (self->bars->len, 1) + 8;
  else
    *minimum = *natural = 200;
}

static void
kac_bar_chart_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (kac_bar_chart_parent_class)->css_changed (widget, change);

  /* Light ↔ dark: the named colours changed. */
  gtk_widget_queue_draw (widget);
}

static void
kac_bar_chart_finalize (GObject *object)
{
  KacBarChart *self = KAC_BAR_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (kac_bar_chart_parent_class)->finalize (object);
}

static void
kac_bar_chart_class_init (KacBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kac_bar_chart_finalize;
  widget_class->snapshot = kac_bar_chart_snapshot;
  widget_class->measure = kac_bar_chart_measure;
  widget_class->css_changed = kac_bar_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "kac-bar-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kac_bar_chart_init (KacBarChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, clear_bar);
}

/* Public API */

GtkWidget *
kac_bar_chart_new (KacBarChartKind kind)
{
  KacBarChart *self = g_object_new (KAC_TYPE_BAR_CHART, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

void
kac_bar_chart_clear (KacBarChart *self)
{
  g_return_if_fail (KAC_IS_BAR_CHART (self));

  g_array_set_size (self->bars, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
kac_bar_chart_add_bar (KacBarChart  *self,
                       const char   *label,
                       const gint64 *values)
{
  Bar bar = { 0, };

  g_return_if_fail (KAC_IS_BAR_CHART (self));
  g_return_if_fail (label != NULL && values != NULL);

  bar.label = g_strdup (label);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    bar.values[i] = values[i];
  g_array_append_val (self->bars, bar);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
kac_bar_chart_set_summary (KacBarChart *self,
                           const char  *summary)
{
  g_return_if_fail (KAC_IS_BAR_CHART (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

void
kac_bar_chart_get_colors (KacBarChart       *self,
                          KacBarChartColors *colors)
{
  GtkStyleContext *context;

  g_return_if_fail (KAC_IS_BAR_CHART (self));
  g_return_if_fail (colors != NULL);

  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (context, &colors->foreground);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    if (!gtk_style_context_lookup_color (context, channel_color_names[i], &colors->channels[i]))
      gdk_rgba_parse (&colors->channels[i], channel_color_fallbacks[i]);
}

void
kac_bar_chart_draw (KacBarChart             *self,
                    cairo_t                 *cr,
                    double                   width,
                    double                   height,
                    const KacBarChartColors *colors)
{
  gint64 max = 0;

  g_return_if_fail (KAC_IS_BAR_CHART (self));
  g_return_if_fail (cr != NULL && colors != NULL);

  for (guint b = 0; b < self->bars->len; b++)
    max = MAX (max, bar_total (&g_array_index (self->bars, Bar, b)));

  cairo_save (cr);
  draw_legend (cr, width, colors);
  if (self->kind == KAC_BAR_CHART_HORIZONTAL)
    draw_horizontal (self, cr, width, height, max, colors);
  else
    draw_columns (self, cr, width, height, max, colors);
  cairo_restore (cr);
}
