/* kac-bar-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kac-types.h"

G_BEGIN_DECLS

/* How the bars stand: one horizontal bar per labelled group (services, institutions), or one
 * column per day (a trend). Either way each bar is stacked by channel. */
typedef enum
{
  KAC_BAR_CHART_HORIZONTAL,
  KAC_BAR_CHART_COLUMNS,
} KacBarChartKind;

/* The colours of a drawing: the text and one per channel. */
typedef struct
{
  GdkRGBA foreground;
  GdkRGBA channels[KAC_CHANNEL_N_VALUES];
} KacBarChartColors;

#define KAC_TYPE_BAR_CHART (kac_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (KacBarChart, kac_bar_chart, KAC, BAR_CHART, GtkWidget)

GtkWidget *kac_bar_chart_new          (KacBarChartKind     kind);
void       kac_bar_chart_clear        (KacBarChart        *self);
/* Adds a bar: @values has KAC_CHANNEL_N_VALUES counts. */
void       kac_bar_chart_add_bar      (KacBarChart        *self,
                                       const char         *label,
                                       const gint64       *values);
/* Sets the accessible description (the chart's figures in words: the table beside it has
 * all of them). */
void       kac_bar_chart_set_summary  (KacBarChart        *self,
                                       const char         *summary);
/* The colours of the current style (light or dark) of @self. */
void       kac_bar_chart_get_colors   (KacBarChart        *self,
                                       KacBarChartColors  *colors);
/* Draws the chart on any cairo context (the widget, a PDF page) in @width × @height. */
void       kac_bar_chart_draw         (KacBarChart             *self,
                                       cairo_t                 *cr,
                                       double                   width,
                                       double                   height,
                                       const KacBarChartColors *colors);

G_END_DECLS
