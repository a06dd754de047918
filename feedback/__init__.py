"""Citizen feedback (phản ánh, kiến nghị — Nghị định 20/2008/NĐ-CP): intake, routing, tracking."""
