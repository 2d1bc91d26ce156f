package io.deltaplane.lineage.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class JobController {

    private final JobRepository jobs;

    public JobController(JobRepository jobs) {
        this.jobs = requireNonNull(jobs, "jobs");
    }

    public record JobView(String jobName, String namespace, Instant createdAt) {
        static JobView of(Job job) {
            return new JobView(job.name(), job.namespace(), job.createdAt());
        }
    }

    public record JobPage(
            List<JobView> jobs,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {}

    @GetMapping("/api/v1/jobs")
    public JobPage list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = PageTokens.limit(maxResults);
        List<Job> page = jobs.page(PageTokens.after(pageToken), limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = PageTokens.encode(page.get(limit - 1).name());
        }
        return new JobPage(page.stream().map(JobView::of).toList(), next);
    }

    @GetMapping("/api/v1/jobs/{jobName}")
    public JobView get(@PathVariable String jobName) {
        Names.lookup(jobName);
        return jobs.find(jobName)
                .map(JobView::of)
                .orElseThrow(() -> ApiException.notFound(ErrorCode.JOB_NOT_FOUND, "No job '" + jobName + "'."));
    }
}
