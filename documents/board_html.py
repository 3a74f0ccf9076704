"""The board pack as one self-contained HTML file: styles inline, the charts inline SVG, nothing fetched."""

from __future__ import annotations

from documents.board_pack import IMPACT_HEADERS, RAG_ORDER, BoardPack, bars
from documents.plan_out import RAG_HEX, RAG_LABELS, RAG_MEANINGS
from documents.templating import render

CHART_WIDTH = 420
"""Pixels of the longest bar."""


def board_html(pack: BoardPack) -> str:
    charts = {review.review_ref: bars(review, CHART_WIDTH) for review in pack.reviews}
    return render(
        "board_pack.html.j2",
        pack=pack,
        charts=charts,
        chart_width=CHART_WIDTH,
        order=RAG_ORDER,
        colours={rag: f"#{RAG_HEX[rag]}" for rag in RAG_ORDER},
        labels=RAG_LABELS,
        meanings=RAG_MEANINGS,
        impact_headers=IMPACT_HEADERS,
    )
