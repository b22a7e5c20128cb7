"""Classroom load: N real Streamlit sessions doing what students do (the scenario lives in testkit/load.py).

    python bench/load.py --url http://127.0.0.1:8501 --sessions 30 --seconds 120
    python bench/load.py --url ... --sessions 10 --seconds 60 --trainings 10 --think 0 0   # 10 trainings at once
    python bench/load.py --url ... --churn 100 --sessions 10                             # open / close 100 tabs
"""
import sys

from testkit.load import main

if __name__ == "__main__":
    sys.exit(main())
